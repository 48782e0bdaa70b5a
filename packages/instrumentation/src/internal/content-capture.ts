/** Content capture is on when the option says so, or else when the standard environment variable is `true`. */
export function captureContentEnabled(option: boolean | undefined): boolean {
  if (option !== undefined) return option;
  return process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT?.trim().toLowerCase() === 'true';
}
