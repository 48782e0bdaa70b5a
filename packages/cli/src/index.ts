export {
  type Command,
  type CommandIo,
  type CommandStreams,
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
} from './command.js';
export { COMMANDS } from './commands/index.js';
export { main } from './main.js';
