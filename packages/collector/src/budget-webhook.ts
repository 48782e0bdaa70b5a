/** What the budget webhook receives (JSON), once per threshold crossing. Money as exact decimal USD strings. */
export interface BudgetCrossing {
  budget: string;
  tenant?: string;
  feature?: string;
  window: string;
  /** `soft`: the soft fraction was reached; `limit`: spend reached the limit. */
  threshold: 'soft' | 'limit';
  spent: string;
  limit: string;
  utilization: number;
  windowStart: string;
  resetsAt: string;
}

export interface BudgetWebhookOptions {
  url: string;
  /** Per-POST timeout, ms. Default 5_000. */
  timeoutMs?: number;
  /** POSTs in flight at once; a crossing past this is logged and not posted. Default 8. */
  maxInFlight?: number;
  headers?: Record<string, string>;
  log: (message: string) => void;
}

/**
 * Posts budget crossings to a URL: bounded (a timeout per POST, a cap on POSTs in flight), never retried, never
 * awaited by the pipeline. A failure is logged with the crossing it lost.
 */
export class BudgetWebhook {
  #inFlight = new Set<Promise<void>>();
  readonly #options: BudgetWebhookOptions;

  constructor(options: BudgetWebhookOptions) {
    this.#options = options;
  }

  post(crossing: BudgetCrossing): void {
    const { url, log } = this.#options;
    if (this.#inFlight.size >= (this.#options.maxInFlight ?? 8)) {
      log(`budget webhook: ${this.#inFlight.size} posts in flight; crossing of '${crossing.budget}' not posted`);
      return;
    }
    const sent = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.#options.headers },
      body: JSON.stringify(crossing),
      signal: AbortSignal.timeout(this.#options.timeoutMs ?? 5_000),
    })
      .then(async (response) => {
        await response.arrayBuffer().catch(() => undefined);
        if (!response.ok)
          log(`budget webhook: ${url} answered ${response.status} to the crossing of '${crossing.budget}'`);
      })
      .catch((error: unknown) => {
        log(`budget webhook: POST to ${url} failed (${error instanceof Error ? error.message : String(error)})`);
      });
    this.#inFlight.add(sent);
    void sent.finally(() => this.#inFlight.delete(sent));
  }

  /** Waits for the POSTs in flight (shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
  }
}
