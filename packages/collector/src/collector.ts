import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BUDGET_PATH, handleBudgetRequest } from './budget-endpoint.js';
import { openBudgets } from './budgets.js';
import { DebugExporter } from './debug-exporter.js';
import { parseListen } from './endpoint.js';
import { OtlpForwarder } from './exporters/otlp-forwarder.js';
import type { FinalAllocation } from './gpu-stage-state.js';
import { decodeJsonRequest, decodeProtobufRequest, encodeJsonRequest, encodeProtobufRequest } from './otlp/codec.js';
import { flattenRequest } from './otlp/spans.js';
import { makeStringsWellFormed } from './otlp/well-formed.js';
import type { PipelineBatch, PipelineSinks, PipelineStage } from './pipeline.js';
import { defaultDataDir, queueDir } from './queue/data-dir.js';
import { type ForwardQueue, MemoryQueue } from './queue/forward-queue.js';
import { PersistentQueue } from './queue/persistent-queue.js';
import {
  type BodyFormat,
  bodyFormat,
  HttpError,
  RPC_INVALID_ARGUMENT,
  RPC_UNAUTHENTICATED,
  RPC_UNAVAILABLE,
  RPC_UNIMPLEMENTED,
  readBody,
  sendError,
  sendExportResponse,
} from './receiver.js';
import { handleReportQuery, REPORT_QUERY_PATH, type ReportQueryAnswerer } from './report-endpoint.js';
import { SelfMetrics } from './self-metrics.js';
import { Admission, type AdmissionTicket } from './server/admission.js';
import { bearerAuth, isLoopbackHost } from './server/auth.js';
import { applyServerLimits, RECEIVER_DEFAULTS, type ResolvedReceiverConfig } from './server/limits.js';
import { DuckDbStore } from './store/duckdb-store.js';
import type { NodeWindowRow } from './store/rows.js';
import type { CollectorConfig, CollectorStats, ReceiverConfig, RunningCollector } from './types.js';

export interface StartOptions {
  /** Builds the pipeline stages (the cost core); the collector is a pass-through when absent. */
  stages?: (sinks: PipelineSinks) => PipelineStage[];
  /** How often stages are ticked to close quiet allocation windows, ms. Default 5_000. */
  tickMs?: number;
  /** Where operational messages go; default stderr. */
  log?: (message: string) => void;
  /** Environment for the data directory default (`XDG_STATE_HOME`); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Answers report queries on POST /v1/costspan/report (authenticated like the receiver); 404 when absent. */
  answerReportQuery?: ReportQueryAnswerer;
}

/** Seconds a sender is asked to wait after a store or queue failure. */
const FAILURE_RETRY_AFTER_S = 2;

/**
 * Starts the collector: an OTLP/HTTP receiver on `config.receiver.endpoint`, the pipeline, the upstream
 * forwarders with their queues (persistent by default: replayed from the data directory), the store and the
 * debug exporter. Resolves once the socket is listening.
 *
 * A `200` means durable: the batch is in the store (when on) and appended to every forwarder's queue (synced
 * to disk when persistent). A store or queue failure answers `503` with Retry-After; the sender retries and
 * the store's keys make the retry idempotent.
 */
export async function startCollector(config: CollectorConfig, options: StartOptions = {}): Promise<RunningCollector> {
  const log = options.log ?? ((message: string) => process.stderr.write(`costspan-collector: ${message}\n`));
  const receiver = resolveReceiver(config.receiver);
  const { host, port } = parseListen(receiver.endpoint, 'receivers.otlp.protocols.http.endpoint');
  if (receiver.authToken === undefined && !isLoopbackHost(host)) {
    if (!receiver.allowInsecure) {
      throw new Error(
        `refusing to listen on ${receiver.endpoint} (beyond loopback) without an auth token: set ` +
          'COSTSPAN_COLLECTOR_AUTH_TOKEN or --auth-token-file, or pass --allow-insecure to accept unauthenticated senders',
      );
    }
    log(`warning: listening on ${receiver.endpoint} (beyond loopback) without an auth token (--allow-insecure)`);
  }

  const store = config.store ? await DuckDbStore.open(config.store.path) : undefined;
  const forwarders: OtlpForwarder[] = [];
  let delivered = 0;
  let persisted = 0;
  const metrics = new SelfMetrics(config.telemetry, () =>
    forwarders.map((f) => ({ exporter: f.name, depth: f.depth })),
  );
  try {
    const dataDir = defaultDataDir(config.dataDir, config.store?.path, options.env);
    for (const forward of config.forward) {
      const limits = { maxBytes: forward.queueBytes, maxSpans: forward.queueSize };
      let queue: ForwardQueue;
      if (forward.persistent) {
        const dir = queueDir(dataDir, forward.name, forward.url);
        queue = await PersistentQueue.open({ dir, ...limits, fsync: config.queueFsync ?? true, log });
        if (queue.spans > 0) log(`${forward.name}: ${queue.spans} spans from an earlier run queued (${dir})`);
      } else {
        queue = new MemoryQueue(limits);
      }
      forwarders.push(
        new OtlpForwarder(forward, queue, {
          exported: (n) => {
            delivered += n;
            metrics.addExported(n, forward.name);
          },
          retried: (n) => metrics.addRetried(n, forward.name),
          dropped: (n, reason) => {
            metrics.addDropped(n, forward.name);
            log(`${forward.name}: dropped ${n} spans: ${reason}`);
          },
        }),
      );
    }
  } catch (error) {
    await Promise.all(forwarders.map((f) => f.queue.close()));
    await store?.close();
    await metrics.shutdown();
    throw error;
  }
  for (const f of forwarders) f.start();

  const debug = config.debug ? new DebugExporter(config.debug) : undefined;
  const budgets = await openBudgets(config, { ...(store ? { store } : {}), meter: metrics.meter, log });
  const reported = new Set<string>();
  const pendingWrites = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    pendingWrites.add(p);
    const forget = () => pendingWrites.delete(p);
    p.then(forget, forget);
  };
  // Records the stages hand out while a batch is in flight are written after that batch's span rows, so an
  // update never runs before the insert it updates.
  let held: Array<() => void> | undefined;
  const write = (fn: () => Promise<unknown>, where: string) => {
    if (!store) return;
    const run = () => track(fn().catch((error) => sinks.error(where, error)));
    if (held) held.push(run);
    else run();
  };
  const sinks: PipelineSinks = {
    windows(rows: NodeWindowRow[]) {
      if (rows.length > 0) write(() => store!.insertWindows(rows), 'store (gpu_node_windows)');
    },
    componentRows(rows) {
      if (rows.length > 0) write(() => store!.insertComponentSpans(rows), 'store (component_spans)');
    },
    resourceWindows(rows) {
      if (rows.length > 0) write(() => store!.insertResourceWindows(rows), 'store (resource_windows)');
    },
    finalComponents(finals) {
      if (finals.length > 0) write(() => store!.applyFinalComponents(finals), 'store (final resource shares)');
    },
    finalAllocations(finals: FinalAllocation[]) {
      budgets?.finalize(finals);
      if (finals.length > 0) write(() => store!.applyFinalAllocations(finals), 'store (final allocations)');
    },
    error(where, error) {
      if (reported.has(where)) return;
      reported.add(where);
      log(`${where} failed (reported once): ${error instanceof Error ? error.message : String(error)}`);
    },
  };
  const stages = config.costing && options.stages ? options.stages(sinks) : [];
  let closing = false;
  const ticker = setInterval(() => {
    for (const stage of stages) {
      try {
        stage.tick?.(Date.now());
      } catch (error) {
        sinks.error(`pipeline stage '${stage.name}' (tick)`, error);
      }
    }
  }, options.tickMs ?? 5_000);
  ticker.unref();

  const admission = new Admission({ maxBytes: receiver.maxInFlightBytes, maxSpans: receiver.maxInFlightSpans });
  const inFlight = new Set<Promise<void>>();

  async function handleExport(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let format: BodyFormat | undefined;
    const tickets: AdmissionTicket[] = [];
    const reserved: Array<{ forwarder: OtlpForwarder; bytes: number; spans: number }> = [];
    const admit = (bytes: number, spans: number) => {
      const ticket = admission.tryAdmit(bytes, spans);
      if (!ticket) {
        metrics.addRefused(spans);
        throw new HttpError(503, RPC_UNAVAILABLE, 'the collector is at its in-flight limit', 1);
      }
      tickets.push(ticket);
    };
    try {
      format = bodyFormat(request.headers['content-type']);
      if (closing) throw new HttpError(503, RPC_UNAVAILABLE, 'the collector is shutting down', 5);
      const declared = Number(request.headers['content-length']);
      const announced = Number.isSafeInteger(declared) && declared > 0 ? Math.min(declared, receiver.maxBodyBytes) : 0;
      admit(announced, 0);
      const body = await readBody(request, receiver.maxBodyBytes);
      const decoded = format === 'protobuf' ? decodeProtobufRequest(body) : decodeJsonRequest(body.toString('utf8'));
      const flat = flattenRequest(decoded, { maxAttributesPerSpan: receiver.maxAttributesPerSpan });
      const count = flat.spans.length;
      if (count > receiver.maxSpansPerRequest) {
        metrics.addRejected(count + flat.rejected);
        throw new HttpError(
          413,
          RPC_INVALID_ARGUMENT,
          `request carries ${count} spans, over the limit of ${receiver.maxSpansPerRequest}: send smaller batches`,
        );
      }
      if (flat.rejected > 0) metrics.addRejected(flat.rejected);
      makeStringsWellFormed(decoded);
      admit(Math.max(0, body.length - announced), count);
      // Room in every forwarder's queue is reserved before anything is processed or written, from an estimate
      // of the encoded size (the actual size replaces it when the batch is appended).
      if (count > 0) {
        for (const forwarder of forwarders) {
          const sameFormat = (forwarder.protocol === 'http/json') === (format === 'json');
          const bytes = Math.ceil((sameFormat ? 1.25 : 3) * body.length) + count * 1024;
          if (!forwarder.tryReserve(bytes, count)) {
            metrics.addRefused(count);
            throw new HttpError(
              503,
              RPC_UNAVAILABLE,
              `export queue full (${forwarder.name})`,
              forwarder.retryAfterSeconds(),
            );
          }
          reserved.push({ forwarder, bytes, spans: count });
        }
      }
      const batch: PipelineBatch = {
        request: decoded,
        spans: flat.spans,
        receivedAt: Date.now(),
        rows: [],
        priced: 0,
        unpriced: 0,
      };
      held = [];
      for (const stage of stages) {
        try {
          stage.process(batch);
        } catch (error) {
          sinks.error(`pipeline stage '${stage.name}'`, error);
        }
      }
      const after = held;
      held = undefined;
      try {
        if (store && batch.rows.length > 0) {
          const stored = store.insertSpans(batch.rows, batch.receivedAt);
          track(stored);
          try {
            await stored;
          } catch (error) {
            sinks.error('store (inference_spans)', error);
            metrics.addRefused(count);
            throw new HttpError(503, RPC_UNAVAILABLE, 'the store cannot write now', FAILURE_RETRY_AFTER_S);
          }
          metrics.addExported(batch.rows.length, 'duckdb');
        }
      } finally {
        for (const run of after) run();
      }
      if (count > 0) await enqueue(batch, count, reserved.splice(0));
      // Spend counts once the batch is acknowledged (stored and queued); a retried batch is counted once.
      budgets?.record(batch.rows);
      metrics.addReceived(count);
      metrics.addPriced(batch.priced);
      metrics.addUnpriced(batch.unpriced);
      metrics.addDedupEvicted(batch.dedupEvicted ?? 0);
      debug?.export(batch);
      sendExportResponse(response, format, flat.rejected, flat.rejectReason);
    } catch (error) {
      if (!(error instanceof HttpError) && !(error instanceof Error && error.name === 'OtlpDecodeError')) {
        sinks.error('receiver', error);
      }
      sendError(response, format, error);
    } finally {
      for (const r of reserved) r.forwarder.release(r.bytes, r.spans);
      for (const ticket of tickets) admission.release(ticket);
    }
  }

  /** Appends the batch to every forwarder's queue; resolves once all hold it safely, else a 503. */
  async function enqueue(
    batch: PipelineBatch,
    count: number,
    reserved: Array<{ forwarder: OtlpForwarder; bytes: number }>,
  ): Promise<void> {
    let protobuf: Uint8Array | undefined;
    let json: Uint8Array | undefined;
    const appends = reserved.map(({ forwarder, bytes }) => {
      try {
        let body: Uint8Array;
        if (forwarder.protocol === 'http/json') body = json ??= Buffer.from(encodeJsonRequest(batch.request));
        else body = protobuf ??= encodeProtobufRequest(batch.request);
        return forwarder.enqueue(body, count, bytes);
      } catch (error) {
        forwarder.release(bytes, count);
        return Promise.reject(error);
      }
    });
    const results = await Promise.allSettled(appends);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      sinks.error('export queue', failed.reason);
      metrics.addRefused(count);
      throw new HttpError(503, RPC_UNAVAILABLE, 'the export queue cannot take the batch now', FAILURE_RETRY_AFTER_S);
    }
  }

  const authorized = bearerAuth(receiver.authToken);
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/health' && (request.method === 'GET' || request.method === 'HEAD')) {
      const body = JSON.stringify({ status: closing ? 'shutting-down' : 'ok' });
      response.writeHead(closing ? 503 : 200, { 'content-type': 'application/json' });
      response.end(body);
      return;
    }
    if (path === '/metrics' && request.method === 'GET') {
      if (!metrics.serve(request, response)) {
        response.writeHead(404).end();
      }
      return;
    }
    // Checked before a byte of the body is read; the connection is closed instead of draining the body.
    if (!authorized(request)) {
      sendError(
        response,
        undefined,
        new HttpError(401, RPC_UNAUTHENTICATED, 'missing or wrong bearer token', undefined, true),
      );
      return;
    }
    if (path === BUDGET_PATH) {
      handleBudgetRequest(budgets, request, response);
      return;
    }
    if (path === REPORT_QUERY_PATH) {
      void handleReportQuery(request, response, store, options.answerReportQuery, config.receiver.maxBodyBytes);
      return;
    }
    if (path === '/v1/traces') {
      if (request.method !== 'POST') {
        request.resume();
        response.writeHead(405, { allow: 'POST' }).end();
        return;
      }
      const handled = handleExport(request, response);
      inFlight.add(handled);
      const forget = () => inFlight.delete(handled);
      handled.then(forget, forget);
      return;
    }
    request.resume();
    sendError(
      response,
      undefined,
      new HttpError(404, RPC_UNIMPLEMENTED, `no OTLP endpoint at ${path} (traces: /v1/traces)`),
    );
  });
  applyServerLimits(server, receiver);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error) => {
    await Promise.all(forwarders.map((f) => f.shutdown()));
    await store?.close();
    await metrics.shutdown();
    throw error;
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${urlHost}:${address.port}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    stats(): CollectorStats {
      return {
        ...metrics.counts,
        stored: store?.spansAdded ?? 0,
        delivered,
        persisted,
        queueDepth: forwarders.reduce((sum, f) => sum + f.depth, 0),
        queueBytes: forwarders.reduce((sum, f) => sum + f.queue.bytes, 0),
      };
    },
    close() {
      // Order: stop accepting, finish the requests being handled, close allocation windows, finish store
      // writes, drain the queues until the deadline; what is left stays in the persistent queues.
      closed ??= (async () => {
        closing = true;
        clearInterval(ticker);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        for (const stage of stages) {
          try {
            stage.flush?.();
          } catch (error) {
            sinks.error(`pipeline stage '${stage.name}' (flush)`, error);
          }
        }
        while (pendingWrites.size > 0) await Promise.allSettled([...pendingWrites]);
        const deadline = Date.now() + config.shutdownTimeoutMs;
        await Promise.all(forwarders.map((f) => f.drain(Math.max(0, deadline - Date.now()))));
        for (const leftover of await Promise.all(forwarders.map((f) => f.shutdown()))) {
          persisted += leftover.persisted;
        }
        await budgets?.close();
        await store?.close();
        await metrics.shutdown();
        server.closeAllConnections();
        await stopped;
      })();
      return closed;
    },
  };
}

function resolveReceiver(receiver: ReceiverConfig): ResolvedReceiverConfig {
  const out: ResolvedReceiverConfig = { ...RECEIVER_DEFAULTS, ...receiver };
  for (const key of Object.keys(RECEIVER_DEFAULTS) as Array<keyof typeof RECEIVER_DEFAULTS>) {
    if (receiver[key] === undefined) (out as unknown as Record<string, unknown>)[key] = RECEIVER_DEFAULTS[key];
  }
  return out;
}
