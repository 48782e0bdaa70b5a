import type { Server } from 'node:http';
import type { ReceiverConfig } from '../types.js';

/** Receiver limits when the configuration leaves them out. */
export const RECEIVER_DEFAULTS = {
  maxInFlightBytes: 64 * 1024 * 1024,
  maxInFlightSpans: 1_000_000,
  maxSpansPerRequest: 100_000,
  maxAttributesPerSpan: 4_096,
  maxConnections: 1_024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  idleTimeoutMs: 30_000,
  allowInsecure: false as boolean,
} satisfies Partial<ReceiverConfig>;

export type ResolvedReceiverConfig = ReceiverConfig & typeof RECEIVER_DEFAULTS;

/**
 * Connection cap and timeouts on the receiver's HTTP server: connections past `maxConnections` are closed at
 * once (so idle sockets cannot starve `/health`), headers must arrive within `headersTimeoutMs`, a whole request
 * within `requestTimeoutMs`, and an idle keep-alive connection is closed after `idleTimeoutMs`.
 */
export function applyServerLimits(server: Server, receiver: ResolvedReceiverConfig): void {
  server.maxConnections = receiver.maxConnections;
  server.headersTimeout = receiver.headersTimeoutMs;
  server.requestTimeout = receiver.requestTimeoutMs;
  server.keepAliveTimeout = receiver.idleTimeoutMs;
  // A socket with no traffic at all for the idle timeout (outside a request's own limits) is closed too.
  server.setTimeout(Math.max(receiver.idleTimeoutMs, receiver.headersTimeoutMs) + 1_000, (socket) => socket.destroy());
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
}
