/** A problem with the user's input data (not a bug): the CLI prints it as one message, exit code 1. */
export class InputError extends Error {}
