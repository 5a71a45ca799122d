import type { ServerOptions } from 'node:http';
import type { Config } from '../config.js';

/**
 * How often Node looks for requests past their headers or request timeout: a quarter of the shorter
 * (the headers timeout, never longer than the request one), at most a second. Node's default is 30 s,
 * which would let a stalled client hold its socket that much past the limit.
 */
export function checkingIntervalMs(http: Config['http']): number {
  return Math.min(1000, Math.floor(http.headersTimeoutMs / 4));
}

/**
 * The server options that drop a client who stalls (issue 12, defect 3): the whole request (headers and
 * body) within `requestTimeoutMs`, its headers within `headersTimeoutMs`, an idle keep-alive socket
 * after `keepAliveTimeoutMs`. Fastify sets `requestTimeout` and `keepAliveTimeout` on the server it
 * creates; `headersTimeout` and the checking interval go to Node's `http.createServer`. Both timeouts
 * must be set: when the headers timeout is the larger, Node swaps the two and judges a request whose
 * body stalls by it (its default, 60 s, is why `requestTimeout` alone did not drop one).
 */
export function timeoutOptions(http: Config['http']): { requestTimeout: number; keepAliveTimeout: number; http: ServerOptions } {
  return {
    requestTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    http: { headersTimeout: http.headersTimeoutMs, connectionsCheckingInterval: checkingIntervalMs(http) },
  };
}
