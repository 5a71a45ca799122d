import { createRequire } from 'node:module';
import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** The service's helmet options: helmet's defaults, and the notice pages carry their own small stylesheet (nothing else is inline). */
export const HELMET_OPTIONS: Readonly<FastifyHelmetOptions> = Object.freeze({
  contentSecurityPolicy: { directives: { 'style-src': ["'self'", "'unsafe-inline'"] } },
});

interface HeaderSink {
  setHeader(name: string, value: string | number | readonly string[]): unknown;
  removeHeader(name: string): unknown;
}
type Middleware = (req: unknown, res: HeaderSink, next: (err?: unknown) => void) => void;

/** helmet itself, as @fastify/helmet loads it (its own dependency). */
const helmet = createRequire(createRequire(import.meta.url).resolve('@fastify/helmet'))('helmet') as (
  options: FastifyHelmetOptions,
) => Middleware;

/**
 * The headers helmet sets with `options`, worked out once: [name, value] in the order helmet sets them. With
 * fixed options (no per-request CSP nonce) they are the same for every response.
 */
export function securityHeaders(options: Readonly<FastifyHelmetOptions> = HELMET_OPTIONS): readonly (readonly [string, string])[] {
  const headers = new Map<string, string>();
  const sink: HeaderSink = {
    setHeader: (name, value) => headers.set(name, String(value)),
    removeHeader: (name) => headers.delete(name),
  };
  helmet({ ...options })({}, sink, (err) => {
    if (err) throw err;
  });
  return Object.freeze([...headers].map((h) => Object.freeze(h)));
}

/**
 * Every response carries helmet's security headers, computed once at start and set by one hook (issue 14:
 * @fastify/helmet built its middleware again for every request, 4–5% of the service's time under load). They go
 * on the reply, not on the raw response: Node's `setHeader` checks each name and value on every call, and a
 * response with headers set that way takes `writeHead`'s slow path, which sets Fastify's own headers one by one
 * again (issue 14: 2% of the service's time under `/api/ask` load).
 */
export function addSecurityHeaders(app: FastifyInstance, options: Readonly<FastifyHelmetOptions> = HELMET_OPTIONS): void {
  const headers = securityHeaders(options).map(([name, value]) => [name.toLowerCase(), value] as const);
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.header(name, value);
    done();
  });
}
