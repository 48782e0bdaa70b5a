import http from 'node:http';
import https from 'node:https';
import type { ForwardQueue, QueueEntry } from '../queue/forward-queue.js';
import type { ForwardConfig } from '../types.js';

export interface ForwarderEvents {
  exported(spans: number): void;
  retried(spans: number): void;
  dropped(spans: number, reason: string): void;
}

interface SendResult {
  ok: boolean;
  retryable: boolean;
  retryAfterMs?: number;
  reason: string;
}

/** What a stopped forwarder leaves behind, in spans. */
export interface ForwarderLeftover {
  /** Still in the persistent queue, sent at the next start. */
  persisted: number;
  /** Lost: held in a memory queue when the process stopped. */
  dropped: number;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const CONCURRENCY = 4;

/**
 * Sends the batches of one queue (persistent or in memory) to one upstream endpoint. A batch leaves the queue
 * only when upstream confirmed it (2xx) or answered a non-retryable status (counted as dropped). Retryable
 * failures (429/502/503/504 or a network error) pause the forwarder with exponential backoff (honoring
 * Retry-After) and put the batch back at the front.
 */
export class OtlpForwarder {
  readonly name: string;
  private inFlight = 0;
  private pausedUntil = 0;
  private backoffMs: number;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private stopping = false;
  private readonly agent: http.Agent;
  private readonly url: URL;
  private readonly contentType: string;
  private idleWaiters: Array<() => void> = [];
  private readonly requests = new Set<http.ClientRequest>();

  constructor(
    private readonly config: ForwardConfig,
    readonly queue: ForwardQueue,
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

  /** Spans held: waiting, in flight or reserved by requests being answered. */
  get depth(): number {
    return this.queue.spans;
  }

  /** Checks the queue's byte and span limits and reserves room in one step; false when full or stopped. */
  tryReserve(bytes: number, spans: number): boolean {
    return !this.closed && this.queue.tryReserve(bytes, spans);
  }

  release(bytes: number, spans: number): void {
    this.queue.release(bytes, spans);
  }

  /** Seconds a refused sender should wait: until the current pause ends, at least one second. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.pausedUntil - Date.now()) / 1000));
  }

  /** Appends a batch for which room was reserved; resolves once it is safe in the queue. */
  async enqueue(body: Uint8Array, spans: number, reservedBytes: number): Promise<void> {
    await this.queue.append(body, spans, reservedBytes);
    this.pump();
  }

  /** Starts sending what the queue already holds (a persistent queue replayed from an earlier run). */
  start(): void {
    this.pump();
  }

  /** Resolves when the queue is empty and nothing is in flight, or after `timeoutMs`; returns whether it drained. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.queue.entries === 0) return true;
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

  /**
   * Stops sending: requests in flight are aborted and their batches stay queued. A persistent queue keeps
   * what is left for the next start; a memory queue's leftovers are counted as dropped.
   */
  async shutdown(): Promise<ForwarderLeftover> {
    this.closed = true;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    for (const request of this.requests) request.destroy(new Error('the collector is stopping'));
    while (this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    this.agent.destroy();
    const left = this.queue.spans;
    await this.queue.close();
    if (this.queue.persistent) return { persisted: left, dropped: 0 };
    if (left > 0) this.events.dropped(left, 'collector shut down before upstream accepted the spans');
    return { persisted: 0, dropped: left };
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
    while (this.inFlight < CONCURRENCY) {
      const entry = this.queue.next();
      if (!entry) break;
      this.inFlight++;
      void this.send(entry);
    }
  }

  private async send(entry: QueueEntry): Promise<void> {
    let result: SendResult;
    try {
      result = await this.post(await this.queue.read(entry));
    } catch (error) {
      result = { ok: false, retryable: false, reason: `cannot read the queued batch: ${String(error)}` };
    }
    this.inFlight--;
    if (result.ok) {
      this.backoffMs = this.config.retry.initialIntervalMs;
      this.queue.done(entry);
      this.events.exported(entry.spans);
    } else if (this.stopping) {
      this.queue.putBack(entry);
    } else if (result.retryable && !this.expired(entry)) {
      this.events.retried(entry.spans);
      const jittered = this.backoffMs * (0.8 + Math.random() * 0.4);
      const delay = Math.min(this.config.retry.maxIntervalMs, Math.max(result.retryAfterMs ?? 0, jittered));
      this.backoffMs = Math.min(this.config.retry.maxIntervalMs, this.backoffMs * 2);
      this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
      this.queue.putBack(entry);
    } else {
      this.queue.done(entry);
      this.events.dropped(entry.spans, result.reason);
    }
    this.pump();
    if (this.queue.entries === 0 && this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private expired(entry: QueueEntry): boolean {
    const max = this.config.retry.maxElapsedMs;
    return max > 0 && Date.now() - entry.firstSeen >= max;
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
      this.requests.add(request);
      request.once('close', () => this.requests.delete(request));
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
