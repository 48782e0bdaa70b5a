import http from 'node:http';
import https from 'node:https';
import type { ForwardConfig } from '../types.js';

export interface ForwarderEvents {
  exported(spans: number): void;
  retried(spans: number): void;
  dropped(spans: number, reason: string): void;
}

interface QueuedBatch {
  body: Uint8Array;
  spans: number;
  firstTry: number;
  attempts: number;
}

interface SendResult {
  ok: boolean;
  retryable: boolean;
  retryAfterMs?: number;
  reason: string;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const CONCURRENCY = 4;

/**
 * Sends encoded OTLP requests to one upstream endpoint from a queue bounded in spans. Retryable failures
 * (429/502/503/504 or a network error) pause the whole forwarder with exponential backoff (honoring
 * Retry-After) and put the batch back at the front, so nothing accepted is lost while the queue holds it.
 */
export class OtlpForwarder {
  readonly name: string;
  private readonly queue: QueuedBatch[] = [];
  private queuedSpans = 0;
  private inFlightSpans = 0;
  private inFlight = 0;
  private pausedUntil = 0;
  private backoffMs: number;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly agent: http.Agent;
  private readonly url: URL;
  private readonly contentType: string;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly config: ForwardConfig,
    private readonly events: ForwarderEvents,
  ) {
    this.name = config.name;
    this.url = new URL(config.url);
    const Agent = this.url.protocol === 'https:' ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    this.contentType = config.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf';
    this.backoffMs = config.retry.initialIntervalMs;
  }

  get protocol() {
    return this.config.protocol;
  }

  /** Spans waiting or in flight. */
  get depth(): number {
    return this.queuedSpans + this.inFlightSpans;
  }

  canAccept(spans: number): boolean {
    return !this.closed && this.depth + spans <= this.config.queueSize;
  }

  /** Seconds a refused sender should wait: until the current pause ends, at least one second. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.pausedUntil - Date.now()) / 1000));
  }

  enqueue(body: Uint8Array, spans: number): void {
    this.queue.push({ body, spans, firstTry: Date.now(), attempts: 0 });
    this.queuedSpans += spans;
    this.pump();
  }

  /** Resolves when the queue is empty and nothing is in flight, or after `timeoutMs`; returns whether it drained. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.depth === 0) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(done);
    });
  }

  /** Stops sending; whatever is still queued is counted as dropped. */
  shutdown(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const left = this.queuedSpans;
    this.queue.length = 0;
    this.queuedSpans = 0;
    if (left > 0) this.events.dropped(left, 'collector shut down before upstream accepted the spans');
    this.agent.destroy();
  }

  private pump(): void {
    if (this.closed) return;
    const wait = this.pausedUntil - Date.now();
    if (wait > 0) {
      if (!this.timer) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        this.timer.unref();
      }
      return;
    }
    while (this.inFlight < CONCURRENCY && this.queue.length > 0) {
      const batch = this.queue.shift() as QueuedBatch;
      this.queuedSpans -= batch.spans;
      this.inFlightSpans += batch.spans;
      this.inFlight++;
      void this.send(batch);
    }
  }

  private async send(batch: QueuedBatch): Promise<void> {
    batch.attempts++;
    const result = await this.post(batch.body);
    this.inFlight--;
    this.inFlightSpans -= batch.spans;
    if (result.ok) {
      this.backoffMs = this.config.retry.initialIntervalMs;
      this.events.exported(batch.spans);
    } else if (result.retryable && !this.closed && !this.expired(batch)) {
      this.events.retried(batch.spans);
      const jittered = this.backoffMs * (0.8 + Math.random() * 0.4);
      const delay = Math.min(this.config.retry.maxIntervalMs, Math.max(result.retryAfterMs ?? 0, jittered));
      this.backoffMs = Math.min(this.config.retry.maxIntervalMs, this.backoffMs * 2);
      this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
      this.queue.unshift(batch);
      this.queuedSpans += batch.spans;
    } else {
      this.events.dropped(batch.spans, result.reason);
    }
    this.pump();
    if (this.depth === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private expired(batch: QueuedBatch): boolean {
    const max = this.config.retry.maxElapsedMs;
    return max > 0 && Date.now() - batch.firstTry >= max;
  }

  private post(body: Uint8Array): Promise<SendResult> {
    const client = this.url.protocol === 'https:' ? https : http;
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const settle = (result: SendResult) => {
        if (!settled) {
          settled = true;
          resolve(result);
        }
      };
      const request = client.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          timeout: this.config.timeoutMs,
          headers: {
            ...this.config.headers,
            'content-type': this.contentType,
            'content-length': body.byteLength,
          },
        },
        (response) => {
          response.resume();
          response.on('error', (error) => settle({ ok: false, retryable: true, reason: error.message }));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) return settle({ ok: true, retryable: false, reason: '' });
            settle({
              ok: false,
              retryable: RETRYABLE_STATUS.has(status),
              retryAfterMs: parseRetryAfter(response.headers['retry-after']),
              reason: `upstream ${this.config.url} answered ${status}`,
            });
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error(`timed out after ${this.config.timeoutMs} ms`)));
      request.on('error', (error) =>
        settle({ ok: false, retryable: true, reason: `upstream ${this.config.url}: ${error.message}` }),
      );
      request.end(body);
    });
  }
}

/** Retry-After as delay-seconds or an HTTP date, in ms. */
export function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
