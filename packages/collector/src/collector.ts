import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DebugExporter } from './debug-exporter.js';
import { parseListen } from './endpoint.js';
import { OtlpForwarder } from './exporters/otlp-forwarder.js';
import type { FinalAllocation } from './gpu-stage-state.js';
import { decodeJsonRequest, decodeProtobufRequest, encodeJsonRequest, encodeProtobufRequest } from './otlp/codec.js';
import { flattenRequest } from './otlp/spans.js';
import type { PipelineBatch, PipelineSinks, PipelineStage } from './pipeline.js';
import {
  type BodyFormat,
  bodyFormat,
  HttpError,
  RPC_UNAUTHENTICATED,
  RPC_UNAVAILABLE,
  RPC_UNIMPLEMENTED,
  readBody,
  sendError,
  sendExportResponse,
} from './receiver.js';
import { handleReportQuery, REPORT_QUERY_PATH, type ReportQueryAnswerer } from './report-endpoint.js';
import { SelfMetrics } from './self-metrics.js';
import { DuckDbStore } from './store/duckdb-store.js';
import type { NodeWindowRow } from './store/rows.js';
import type { CollectorConfig, CollectorStats, RunningCollector } from './types.js';

export interface StartOptions {
  /** Builds the pipeline stages (the cost core); the collector is a pass-through when absent. */
  stages?: (sinks: PipelineSinks) => PipelineStage[];
  /** How often stages are ticked to close quiet allocation windows, ms. Default 5_000. */
  tickMs?: number;
  /** Where operational messages go; default stderr. */
  log?: (message: string) => void;
  /** Answers report queries on POST /v1/costspan/report (authenticated like the receiver); 404 when absent. */
  answerReportQuery?: ReportQueryAnswerer;
}

/**
 * Starts the collector: an OTLP/HTTP receiver on `config.receiver.endpoint`, the pipeline, the upstream
 * forwarders, the store and the debug exporter. Resolves once the socket is listening.
 */
export async function startCollector(config: CollectorConfig, options: StartOptions = {}): Promise<RunningCollector> {
  const log = options.log ?? ((message: string) => process.stderr.write(`costspan-collector: ${message}\n`));
  const store = config.store ? await DuckDbStore.open(config.store.path) : undefined;
  const forwarders: OtlpForwarder[] = [];
  const metrics = new SelfMetrics(config.telemetry, () =>
    forwarders.map((f) => ({ exporter: f.name, depth: f.depth })),
  );
  for (const forward of config.forward) {
    forwarders.push(
      new OtlpForwarder(forward, {
        exported: (n) => metrics.addExported(n, forward.name),
        retried: (n) => metrics.addRetried(n, forward.name),
        dropped: (n, reason) => {
          metrics.addDropped(n, forward.name);
          log(`${forward.name}: dropped ${n} spans: ${reason}`);
        },
      }),
    );
  }
  const debug = config.debug ? new DebugExporter(config.debug) : undefined;
  const reported = new Set<string>();
  const pendingWrites = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    pendingWrites.add(p);
    void p.finally(() => pendingWrites.delete(p));
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
    finalAllocations(finals: FinalAllocation[]) {
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

  async function handleExport(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let format: BodyFormat | undefined;
    try {
      format = bodyFormat(request.headers['content-type']);
      if (closing) throw new HttpError(503, RPC_UNAVAILABLE, 'the collector is shutting down', 5);
      const body = await readBody(request, config.receiver.maxBodyBytes);
      const decoded = format === 'protobuf' ? decodeProtobufRequest(body) : decodeJsonRequest(body.toString('utf8'));
      const flat = flattenRequest(decoded);
      const count = flat.spans.length;
      if (flat.rejected > 0) metrics.addRejected(flat.rejected);
      const full = forwarders.filter((f) => !f.canAccept(count));
      if (full.length > 0) {
        metrics.addRefused(count);
        const wait = Math.max(...full.map((f) => f.retryAfterSeconds()));
        throw new HttpError(503, RPC_UNAVAILABLE, `export queue full (${full.map((f) => f.name).join(', ')})`, wait);
      }
      metrics.addReceived(count);
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
      metrics.addPriced(batch.priced);
      metrics.addUnpriced(batch.unpriced);
      if (store && batch.rows.length > 0) {
        const write = store.insertSpans(batch.rows, batch.receivedAt);
        track(write);
        try {
          metrics.addStored(await write);
          metrics.addExported(batch.rows.length, 'duckdb');
        } catch (error) {
          metrics.addDropped(batch.rows.length, 'duckdb');
          sinks.error('store (inference_spans)', error);
        }
      }
      for (const run of after) run();
      if (count > 0) enqueue(batch, count);
      debug?.export(batch);
      sendExportResponse(response, format, flat.rejected, flat.rejectReason);
    } catch (error) {
      if (!(error instanceof HttpError) && !(error instanceof Error && error.name === 'OtlpDecodeError')) {
        sinks.error('receiver', error);
      }
      sendError(response, format, error);
    }
  }

  function enqueue(batch: PipelineBatch, count: number): void {
    let protobuf: Uint8Array | undefined;
    let json: Uint8Array | undefined;
    for (const forwarder of forwarders) {
      if (forwarder.protocol === 'http/json') {
        json ??= Buffer.from(encodeJsonRequest(batch.request));
        forwarder.enqueue(json, count);
      } else {
        protobuf ??= encodeProtobufRequest(batch.request);
        forwarder.enqueue(protobuf, count);
      }
    }
  }

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
    if (
      config.receiver.authToken !== undefined &&
      request.headers.authorization !== `Bearer ${config.receiver.authToken}`
    ) {
      request.resume();
      sendError(response, undefined, new HttpError(401, RPC_UNAUTHENTICATED, 'missing or wrong bearer token'));
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
      void handleExport(request, response);
      return;
    }
    request.resume();
    sendError(
      response,
      undefined,
      new HttpError(404, RPC_UNIMPLEMENTED, `no OTLP endpoint at ${path} (traces: /v1/traces)`),
    );
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  const { host, port } = parseListen(config.receiver.endpoint, 'receivers.otlp.protocols.http.endpoint');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${urlHost}:${address.port}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    stats(): CollectorStats {
      return { ...metrics.counts, queueDepth: forwarders.reduce((sum, f) => sum + f.depth, 0) };
    },
    close() {
      closed ??= (async () => {
        closing = true;
        clearInterval(ticker);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        for (const stage of stages) {
          try {
            stage.flush?.();
          } catch (error) {
            sinks.error(`pipeline stage '${stage.name}' (flush)`, error);
          }
        }
        await Promise.all(forwarders.map((f) => f.drain(config.shutdownTimeoutMs)));
        for (const f of forwarders) f.shutdown();
        await Promise.allSettled([...pendingWrites]);
        await store?.close();
        await metrics.shutdown();
        server.closeAllConnections();
        await stopped;
      })();
      return closed;
    },
  };
}
