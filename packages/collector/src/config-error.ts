/** An invalid collector configuration; `key` names the offending setting (`exporters.otlphttp.endpoint`, `--listen`). */
export class CollectorConfigError extends Error {
  override readonly name = 'CollectorConfigError';
  constructor(
    readonly key: string,
    problem: string,
  ) {
    super(`invalid collector configuration: ${key}: ${problem}`);
  }
}
