/**
 * A load balancer for development on one machine, in front of several instances of the service (issue 15):
 *
 *   npx tsx scripts/balancer.ts --port 8080 --upstream http://127.0.0.1:3001 --upstream http://127.0.0.1:3002
 *
 * - HTTP requests go round-robin to the live instances over keep-alive connections; headers pass through
 *   (hop-by-hop ones excepted) with `X-Forwarded-For` (the client's address appended), `-Proto` and `-Host`;
 *   request and response bodies are streamed.
 * - WebSocket upgrades (`/ws/chat`, `/ws/agent`) are forwarded to the chosen instance as they came, then the two
 *   sockets are piped into each other; closing either side closes the other.
 * - Each instance's `GET /readyz` is asked every second: one that does not answer 200 is taken out, and put
 *   back when it does. A request or upgrade whose connection to an instance fails (refused, unreachable, not
 *   connected in time) takes that instance out at once and goes to the next live one: nothing was sent to it
 *   yet. So does a GET or HEAD without a body whose reused keep-alive connection turned out closed before any
 *   answer (Node's `request.reusedSocket` case). Anything else that fails after it was sent is not retried.
 * - No live instance: `502` with the service's error shape, code `UPSTREAM_UNAVAILABLE.code`.
 * - SIGTERM/SIGINT: stop accepting, close tunnels and idle connections, let requests in flight finish
 *   (at most `graceMs`), exit.
 *
 * Node's http and net only: what is needed is small, and http-proxy (the usual library) is unmaintained.
 * It logs one line per change of an instance's state (and one when it listens), nothing per request.
 */
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ERRORS } from '../src/errors.js';

/** The answer when no instance can take a request (the service's error table has it). */
export const UPSTREAM_UNAVAILABLE = { code: 'HL_ERR_UPSTREAM_UNAVAILABLE', ...ERRORS.HL_ERR_UPSTREAM_UNAVAILABLE } as const;

export interface BalancerOptions {
  port: number;
  host?: string;
  /** Base URLs of the instances, `http://host:port`. */
  upstreams: readonly string[];
  healthPath?: string;
  healthIntervalMs?: number;
  /** How long a health check may take; a slower answer counts as a failure. */
  healthTimeoutMs?: number;
  /** How long connecting to an instance may take before the next one is tried. */
  connectTimeoutMs?: number;
  /** How long requests in flight get to finish on close. */
  graceMs?: number;
  log?: (line: string) => void;
}

export interface Balancer {
  /** `http://host:port` the balancer listens on. */
  readonly url: string;
  /** The instances taking requests now. */
  live(): string[];
  close(): Promise<void>;
}

interface Upstream {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly agent: http.Agent;
  up: boolean;
  /** Whether a first health check has said anything yet (the first state is logged either way). */
  known: boolean;
  checking: boolean;
}

// Hop-by-hop headers: they describe one connection, not the message (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
// Errors that mean the connection to an instance was never made: nothing was sent.
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT']);

class ConnectTimeout extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(ms: number) {
    super(`not connected within ${ms} ms`);
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e.code ?? e.message ?? String(err);
}

function errorBody(): string {
  return JSON.stringify({ error: { code: UPSTREAM_UNAVAILABLE.code, message: UPSTREAM_UNAVAILABLE.message } });
}

/** The client's headers for the instance: hop-by-hop ones dropped, the X-Forwarded-* ones added. */
function forwardedHeaders(req: http.IncomingMessage): http.OutgoingHttpHeaders {
  const listed = new Set(
    String(req.headers.connection ?? '')
      .split(',')
      .map((t) => t.trim().toLowerCase()),
  );
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue;
    headers[name] = value;
  }
  return { ...headers, ...forwardedFor(req) };
}

function forwardedFor(req: http.IncomingMessage): Record<string, string> {
  const before = req.headers['x-forwarded-for'];
  const address = req.socket.remoteAddress ?? '';
  const added: Record<string, string> = {
    'x-forwarded-for': before ? `${before}, ${address}` : address,
    'x-forwarded-proto': String(req.headers['x-forwarded-proto'] ?? 'http'),
  };
  const host = req.headers['x-forwarded-host'] ?? req.headers.host;
  if (host) added['x-forwarded-host'] = String(host);
  return added;
}

/** The upgrade request as it came, with the X-Forwarded-* headers set, in its bytes (latin1 round-trips them). */
function rawUpgradeRequest(req: http.IncomingMessage): string {
  const added = forwardedFor(req);
  const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    if (!(name.toLowerCase() in added)) lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
  }
  for (const [name, value] of Object.entries(added)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function responseHeaders(res: http.IncomingMessage): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  return headers;
}

export async function startBalancer(options: BalancerOptions): Promise<Balancer> {
  const {
    host = '127.0.0.1',
    healthPath = '/readyz',
    healthIntervalMs = 1000,
    healthTimeoutMs = Math.max(healthIntervalMs, 2000),
    connectTimeoutMs = 3000,
    graceMs = 10_000,
    log = (line: string) => process.stdout.write(`${line}\n`),
  } = options;
  if (options.upstreams.length === 0) throw new Error('at least one --upstream is needed');
  const upstreams: Upstream[] = options.upstreams.map((raw) => {
    const u = new URL(raw);
    if (u.protocol !== 'http:') throw new Error(`upstream ${raw}: only http:// is supported`);
    return {
      url: u.origin,
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: Number(u.port || 80),
      // `timeout` lets the agent apply the instance's `Keep-Alive: timeout=` hint (less a second), so an idle
      // connection is dropped here before the instance drops it.
      agent: new http.Agent({ keepAlive: true, timeout: 60_000 }),
      up: false,
      known: false,
      checking: false,
    };
  });

  function setState(u: Upstream, up: boolean, why: string): void {
    if (u.known && u.up === up) return;
    u.known = true;
    u.up = up;
    log(`${new Date().toISOString()} upstream ${u.url} ${up ? 'up' : `down (${why})`}`);
  }

  let cursor = 0;
  /** The next live instance after the last one chosen, skipping those tried for this request. */
  function pick(tried: ReadonlySet<Upstream>): Upstream | undefined {
    for (let i = 0; i < upstreams.length; i++) {
      const at = (cursor + i) % upstreams.length;
      const u = upstreams[at] as Upstream;
      if (u.up && !tried.has(u)) {
        cursor = (at + 1) % upstreams.length;
        return u;
      }
    }
    return undefined;
  }

  function check(u: Upstream): Promise<void> {
    if (u.checking) return Promise.resolve();
    u.checking = true;
    return new Promise((resolve) => {
      let done = false;
      const finish = (up: boolean, why: string) => {
        if (done) return;
        done = true;
        u.checking = false;
        if (!closing) setState(u, up, why);
        resolve();
      };
      const req = http.get({ host: u.host, port: u.port, path: healthPath, agent: false, timeout: healthTimeoutMs }, (res) => {
        res.resume();
        finish(res.statusCode === 200, `${healthPath} answered ${res.statusCode}`);
      });
      req.on('timeout', () => req.destroy(new Error(`${healthPath} took longer than ${healthTimeoutMs} ms`)));
      req.on('error', (err) => finish(false, describe(err)));
    });
  }

  // ---- HTTP ----

  function unavailable(res: http.ServerResponse): void {
    const body = errorBody();
    res.writeHead(UPSTREAM_UNAVAILABLE.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  function proxy(req: http.IncomingMessage, res: http.ServerResponse, tried: Set<Upstream>, attempts: number): void {
    const u = pick(tried);
    if (!u || attempts > upstreams.length) {
      unavailable(res);
      req.resume();
      return;
    }
    tried.add(u);
    const upReq = http.request({
      host: u.host,
      port: u.port,
      method: req.method,
      path: req.url,
      headers: forwardedHeaders(req),
      agent: u.agent,
    });
    let connected = false;
    let answered = false;
    const timer = setTimeout(() => upReq.destroy(new ConnectTimeout(connectTimeoutMs)), connectTimeoutMs);
    const send = () => {
      connected = true;
      clearTimeout(timer);
      // The body is read only now, so a request that could not connect can still go elsewhere whole.
      req.pipe(upReq);
    };
    upReq.on('socket', (socket) => {
      if (socket.connecting) socket.once('connect', send);
      else send();
    });
    upReq.on('response', (upRes) => {
      answered = true;
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, responseHeaders(upRes));
      upRes.pipe(res);
      upRes.on('error', () => res.destroy());
    });
    upReq.on('error', (err) => {
      clearTimeout(timer);
      if (res.destroyed || res.headersSent) {
        res.destroy();
        return;
      }
      const code = (err as { code?: string }).code ?? '';
      if (!connected && NOT_CONNECTED.has(code)) {
        setState(u, false, describe(err));
        proxy(req, res, tried, attempts + 1);
        return;
      }
      const idempotent = req.method === 'GET' || req.method === 'HEAD';
      const bodiless = !req.headers['content-length'] && !req.headers['transfer-encoding'];
      if (!answered && upReq.reusedSocket && idempotent && bodiless && (code === 'ECONNRESET' || code === 'EPIPE')) {
        tried.delete(u);
        proxy(req, res, tried, attempts + 1);
        return;
      }
      unavailable(res);
    });
    res.on('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) upReq.destroy();
    });
  }

  // ---- WebSocket upgrades: a TCP pipe once the request is forwarded ----

  const tunnels = new Set<Duplex>();

  function refuseUpgrade(client: Duplex): void {
    const body = errorBody();
    client.end(
      `HTTP/1.1 ${UPSTREAM_UNAVAILABLE.status} Bad Gateway\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }

  function tunnel(req: http.IncomingMessage, client: Duplex, head: Buffer, tried: Set<Upstream>): void {
    if (client.destroyed) return;
    const u = pick(tried);
    if (!u) {
      refuseUpgrade(client);
      return;
    }
    tried.add(u);
    const upstream = net.connect({ host: u.host, port: u.port });
    let connected = false;
    const dropEarly = () => upstream.destroy();
    client.once('close', dropEarly);
    upstream.setTimeout(connectTimeoutMs, () => upstream.destroy(new ConnectTimeout(connectTimeoutMs)));
    upstream.once('connect', () => {
      connected = true;
      upstream.setTimeout(0);
      client.off('close', dropEarly);
      upstream.setNoDelay(true);
      upstream.write(rawUpgradeRequest(req), 'latin1');
      if (head.length > 0) upstream.write(head);
      tunnels.add(client);
      tunnels.add(upstream);
      // Each side's end half-closes the other; either closing (or failing) closes both.
      upstream.pipe(client);
      client.pipe(upstream);
      const closeBoth = () => {
        tunnels.delete(client);
        tunnels.delete(upstream);
        client.destroy();
        upstream.destroy();
      };
      client.once('close', closeBoth);
      upstream.once('close', closeBoth);
    });
    upstream.on('error', (err) => {
      if (connected) return; // 'close' follows and closes the client
      client.off('close', dropEarly);
      const code = (err as { code?: string }).code ?? '';
      if (NOT_CONNECTED.has(code)) setState(u, false, describe(err));
      tunnel(req, client, head, tried);
    });
  }

  // ---- the server ----

  const server = http.createServer((req, res) => proxy(req, res, new Set(), 0));
  // `Expect:` is for the instance to answer (the service has its own 417), not Node's default here.
  server.on('checkExpectation', (req, res) => proxy(req, res, new Set(), 0));
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    tunnel(req, socket, head, new Set());
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  let closing = false;
  await Promise.all(upstreams.map(check));
  const timer = setInterval(() => {
    for (const u of upstreams) void check(u);
  }, healthIntervalMs);
  timer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  log(`${new Date().toISOString()} balancer listening on ${url} for ${upstreams.map((u) => u.url).join(', ')}`);

  return {
    url,
    live: () => upstreams.filter((u) => u.up).map((u) => u.url),
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of tunnels) socket.destroy();
      server.closeIdleConnections();
      // Connections still serving a request become idle once it is answered: closed then, or all at the end.
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((resolve) => (grace = setTimeout(resolve, graceMs)))]);
      clearInterval(sweep);
      clearTimeout(grace);
      server.closeAllConnections();
      await closed;
      for (const u of upstreams) u.agent.destroy();
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      upstream: { type: 'string', multiple: true, default: [] },
      'health-interval': { type: 'string', default: '1000' },
    },
  });
  const balancer = await startBalancer({
    port: Number(values.port),
    host: values.host,
    upstreams: values.upstream,
    healthIntervalMs: Number(values['health-interval']),
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      process.stdout.write(`${new Date().toISOString()} balancer stopping (${signal})\n`);
      balancer.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`balancer: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
