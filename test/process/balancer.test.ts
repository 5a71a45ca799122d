/**
 * The development balancer (scripts/balancer.ts, issue 15) in front of two fake instances (node:http and ws on
 * this machine): turns, headers and bodies, WebSocket tunnels, health checks, failover, the 502 when none is
 * left, a graceful close. And docker-compose.yml kept in step with the Dockerfile, deploy/nginx.conf and the
 * README's configuration table.
 */
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { parse } from 'yaml';
import { type Balancer, startBalancer, UPSTREAM_UNAVAILABLE } from '../../scripts/balancer.js';
import { ROOT } from '../helpers/knowledge.js';

const HEALTH_MS = 200;

interface Seen {
  upstream: string;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A fake instance: `/readyz` answers 200 while `ready`, `/slow` after 300 ms, anything else echoes the request as JSON; sockets echo. */
class FakeInstance {
  ready = true;
  /** The server side of every WebSocket opened here, with the code it closed with once closed. */
  readonly sockets: { ws: WebSocket; closed?: number }[] = [];
  port = 0;
  private server?: http.Server;

  constructor(readonly name: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = http.createServer(async (req, res) => {
      if (req.url === '/readyz') {
        res.writeHead(this.ready ? 200 : 503).end();
        return;
      }
      if (req.url === '/slow') await sleep(300);
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const seen: Seen = {
        upstream: this.name,
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': this.name });
      res.end(JSON.stringify(seen));
    });
    const wss = new WebSocketServer({ server });
    wss.on('connection', (ws) => {
      const entry: { ws: WebSocket; closed?: number } = { ws };
      this.sockets.push(entry);
      ws.on('close', (code) => {
        entry.closed = code;
      });
      ws.on('message', (data) => ws.send(`${this.name}: ${String(data)}`));
      ws.send(`${this.name} hello`);
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Stops listening and drops every connection, as a process that dies. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const { ws } of this.sockets) ws.terminate();
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }
}

let cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function setUp(): Promise<{ a: FakeInstance; b: FakeInstance; balancer: Balancer; log: string[] }> {
  const a = await new FakeInstance('a').start();
  const b = await new FakeInstance('b').start();
  cleanup.push(
    () => a.stop(),
    () => b.stop(),
  );
  const log: string[] = [];
  const balancer = await startBalancer({
    port: 0,
    upstreams: [a.url, b.url],
    healthIntervalMs: HEALTH_MS,
    log: (line) => log.push(line),
  });
  cleanup.push(() => balancer.close());
  return { a, b, balancer, log };
}

async function get(balancer: Balancer, path = '/api/x', init?: RequestInit): Promise<Seen> {
  const res = await fetch(`${balancer.url}${path}`, init);
  expect(res.status).toBe(200);
  return (await res.json()) as Seen;
}

async function upstreamsOf(balancer: Balancer, n: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < n; i++) names.push((await get(balancer)).upstream);
  return names;
}

/** A socket through the balancer, once its instance's greeting came; `next()` is the message after the last one taken. */
async function socket(balancer: Balancer, path = '/ws/chat'): Promise<{ ws: WebSocket; hello: string; next: () => Promise<string> }> {
  const ws = new WebSocket(`${balancer.url.replace('http', 'ws')}${path}`);
  const queue: string[] = [];
  const waiting: ((m: string) => void)[] = [];
  ws.on('message', (data) => {
    const m = String(data);
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  const next = () => {
    const m = queue.shift();
    return m !== undefined ? Promise.resolve(m) : new Promise<string>((resolve) => waiting.push(resolve));
  };
  cleanup.push(async () => ws.terminate());
  await once(ws, 'open');
  return { ws, hello: await next(), next };
}

/** Waits (generously) until `ok()` holds. */
async function eventually(ok: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('the development balancer', () => {
  it('sends requests to the instances in turn', async () => {
    const { balancer, log } = await setUp();
    const names = await upstreamsOf(balancer, 6);
    expect(new Set(names)).toEqual(new Set(['a', 'b']));
    for (let i = 1; i < names.length; i++) expect(names[i]).not.toBe(names[i - 1]);
    expect(log.filter((l) => / up$/.test(l))).toHaveLength(2);
  });

  it('passes the method, path, headers and a streamed body through, and adds X-Forwarded-For and -Proto', async () => {
    const { balancer } = await setUp();
    const body = '问'.repeat(100_000);
    const res = await fetch(`${balancer.url}/api/ask?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8', 'x-request-id': 'r-1', 'x-forwarded-for': '203.0.113.7' },
      body: new Blob([body]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(200);
    const seen = (await res.json()) as Seen;
    expect(res.headers.get('x-upstream')).toBe(seen.upstream);
    expect(seen).toMatchObject({ method: 'POST', url: '/api/ask?x=1', body });
    expect(seen.headers).toMatchObject({
      'content-type': 'text/plain; charset=utf-8',
      'x-request-id': 'r-1',
      'x-forwarded-for': '203.0.113.7, 127.0.0.1',
      'x-forwarded-proto': 'http',
      host: new URL(balancer.url).host,
    });
  });

  it('carries a WebSocket both ways, and to the instances in turn', async () => {
    const { balancer, a, b } = await setUp();
    const first = await socket(balancer);
    const second = await socket(balancer);
    expect([first.hello, second.hello].sort()).toEqual(['a hello', 'b hello']);
    const name = first.hello.split(' ')[0];
    for (const text of ['你好', 'x'.repeat(70_000), '再见']) {
      first.ws.send(text);
      expect(await first.next()).toBe(`${name}: ${text}`);
    }
    // The instance speaking first, unasked.
    const server = (name === 'a' ? a : b).sockets[0]?.ws;
    server?.send('from the instance');
    expect(await first.next()).toBe('from the instance');
  });

  it('closes the instance side when the client goes, and the client side when the instance goes', async () => {
    const { balancer, a, b } = await setUp();
    const first = await socket(balancer);
    const second = await socket(balancer);
    const serverOf = (hello: string) => (hello.startsWith('a') ? a : b).sockets.at(-1) as { ws: WebSocket; closed?: number };
    // No close frame either way: only the balancer closing the other connection can tell the other end.
    first.ws.terminate();
    const firstServer = serverOf(first.hello);
    await eventually(() => firstServer.closed !== undefined, 'the instance to see its socket close');
    expect(firstServer.closed).toBe(1006);

    const closed = once(second.ws, 'close');
    serverOf(second.hello).ws.terminate();
    const [code] = await closed;
    expect(code).toBe(1006);
  });

  it('closes the other side when one side resets its connection', async () => {
    const { balancer, a, b } = await setUp();
    const opened = () => a.sockets.length + b.sockets.length;
    // The client resets (RST, not FIN): a raw connection that does the handshake by hand.
    const raw = net.connect(Number(new URL(balancer.url).port), '127.0.0.1');
    raw.on('error', () => {});
    raw.write(
      `GET /ws/chat HTTP/1.1\r\nHost: ${new URL(balancer.url).host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    const [head] = (await once(raw, 'data')) as [Buffer];
    expect(head.toString('latin1')).toMatch(/^HTTP\/1\.1 101 /);
    const server = [...a.sockets, ...b.sockets][0] as { ws: WebSocket; closed?: number };
    raw.resetAndDestroy();
    await eventually(() => server.closed !== undefined, 'the instance to see its socket close');

    // The instance resets.
    const client = await socket(balancer);
    expect(opened()).toBe(2);
    const closed = once(client.ws, 'close');
    const other = (client.hello.startsWith('a') ? a : b).sockets.at(-1)?.ws as unknown as { _socket: net.Socket };
    other._socket.resetAndDestroy();
    const [code] = await closed;
    expect(code).toBe(1006);
  });

  it('takes an instance whose /readyz fails out, and back in when it answers again', async () => {
    const { balancer, a, log } = await setUp();
    a.ready = false;
    await eventually(() => !balancer.live().includes(a.url), 'a to be taken out');
    expect(await upstreamsOf(balancer, 4)).toEqual(['b', 'b', 'b', 'b']);
    expect((await socket(balancer)).hello).toBe('b hello');
    const aLines = () => log.filter((l) => l.includes(`upstream ${a.url}`));
    expect(aLines()).toEqual([expect.stringMatching(/ up$/), expect.stringMatching(/ down \(\/readyz answered 503\)$/)]);

    a.ready = true;
    await eventually(() => balancer.live().includes(a.url), 'a to be back');
    expect(new Set(await upstreamsOf(balancer, 4))).toEqual(new Set(['a', 'b']));
    expect(aLines()).toHaveLength(3);
    expect(aLines()[2]).toMatch(/ up$/);
  });

  it('sends requests and new sockets to the other instance when one stops, with no error seen', async () => {
    const { balancer, a, b, log } = await setUp();
    await upstreamsOf(balancer, 4); // keep-alive connections to both
    const before = await socket(balancer);
    const onA = before.hello === 'a hello' ? before : await socket(balancer);
    const aClosed = once(onA.ws, 'close');

    await a.stop();
    // At once, before any health check has run: each connection refused is retried on b.
    expect(await upstreamsOf(balancer, 6)).toEqual(['b', 'b', 'b', 'b', 'b', 'b']);
    const posted = await get(balancer, '/api/ask', {
      method: 'POST',
      body: '{"text":"你好"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(posted).toMatchObject({ upstream: 'b', body: '{"text":"你好"}' });
    for (let i = 0; i < 3; i++) expect((await socket(balancer)).hello).toBe('b hello');
    await aClosed; // the socket that was on a is closed, so its client reconnects
    expect(balancer.live()).toEqual([b.url]);
    await sleep(3 * HEALTH_MS);
    expect(log.filter((l) => l.includes(`${a.url} down`))).toHaveLength(1);

    await a.start(); // on the same port
    await eventually(() => balancer.live().includes(a.url), 'a to be back');
    expect(new Set(await upstreamsOf(balancer, 4))).toEqual(new Set(['a', 'b']));
  });

  it('answers 502 with the error body, to requests and upgrades, when no instance answers', async () => {
    const { balancer, a, b } = await setUp();
    await a.stop();
    await b.stop();
    const res = await fetch(`${balancer.url}/api/ask`, {
      method: 'POST',
      body: '{"text":"你好"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: { code: UPSTREAM_UNAVAILABLE.code, message: UPSTREAM_UNAVAILABLE.message } });
    expect(UPSTREAM_UNAVAILABLE.code).toMatch(/^HL_ERR_[A-Z_]+$/);

    const ws = new WebSocket(`${balancer.url.replace('http', 'ws')}/ws/chat`);
    ws.on('error', () => {}); // terminate() below, while the handshake is refused
    const [, response] = (await once(ws, 'unexpected-response')) as [unknown, http.IncomingMessage];
    expect(response.statusCode).toBe(502);
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    expect(JSON.parse(Buffer.concat(chunks).toString())).toMatchObject({ error: { code: UPSTREAM_UNAVAILABLE.code } });
    ws.terminate();
  });

  it('lets a request in flight finish when it closes, and takes no new one', async () => {
    const { balancer } = await setUp();
    const slow = fetch(`${balancer.url}/slow`);
    await sleep(100);
    const closed = balancer.close();
    const res = await slow;
    expect(res.status).toBe(200);
    expect(((await res.json()) as Seen).url).toBe('/slow');
    await closed;
    await expect(fetch(`${balancer.url}/api/x`)).rejects.toThrow();
  });
});

// ---- docker-compose.yml, deploy/nginx.conf, the Dockerfile and the README, in step ----

interface ComposeService {
  build?: unknown;
  image?: string;
  environment?: Record<string, unknown> | string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: unknown;
  volumes?: string[];
}

async function text(path: string): Promise<string> {
  return readFile(join(ROOT, path), 'utf8');
}

/** Variable names in the first column of README's configuration table (`A` and `A` / `B` rows). */
async function documentedVariables(): Promise<Set<string>> {
  const readme = await text('README.md');
  const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? '';
  const names = new Set<string>();
  for (const row of section.matchAll(/^\| ([^|]+) \|/gm))
    for (const m of (row[1] as string).matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(m[1] as string);
  return names;
}

/** docker-compose.yml read as Compose reads it: YAML merge keys (`<<: *app`) merged. */
async function composeFile(): Promise<{ services: Record<string, ComposeService> }> {
  return parse(await text('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
}

function envNames(env: ComposeService['environment']): string[] {
  if (!env) return [];
  return Array.isArray(env) ? env.map((e) => e.split('=')[0] as string) : Object.keys(env);
}

describe('docker-compose.yml', () => {
  it('parses, and sets on the instances only variables the README configuration table documents', async () => {
    const compose = await composeFile();
    const documented = await documentedVariables();
    expect(documented.size).toBeGreaterThan(30);
    const apps = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
    expect(apps.map(([name]) => name)).toEqual(['app1', 'app2']);
    for (const [name, service] of apps) {
      const names = envNames(service.environment);
      expect(names).toEqual(expect.arrayContaining(['REDIS_URL', 'DATABASE_URL', 'SESSION_SECRET', 'INSTANCE_ID']));
      expect(
        names.filter((n) => !documented.has(n)),
        `${name} sets variables README does not document`,
      ).toEqual([]);
    }
  });

  it('starts each service after what it needs is healthy, and every one it waits for has a healthcheck', async () => {
    const compose = await composeFile();
    const dockerfile = await text('Dockerfile');
    for (const [name, service] of Object.entries(compose.services)) {
      const needs = service.depends_on ?? {};
      expect(Array.isArray(needs), `${name}: depends_on with conditions`).toBe(false);
      for (const [other, { condition }] of Object.entries(needs as Record<string, { condition?: string }>)) {
        expect(condition, `${name} → ${other}`).toBe('service_healthy');
        const dep = compose.services[other];
        expect(dep, `${name} depends on a service ${other} that is not defined`).toBeDefined();
        // An instance's healthcheck is the Dockerfile's HEALTHCHECK.
        if (dep?.build === undefined) expect(dep?.healthcheck, `${other} has a healthcheck`).toBeDefined();
        else expect(dockerfile).toMatch(/^HEALTHCHECK /m);
      }
    }
  });

  it('has nginx in front of every instance, on the port the Dockerfile exposes, with the WebSocket upgrade for /ws/', async () => {
    const compose = await composeFile();
    const nginx = await text('deploy/nginx.conf');
    const port = /^EXPOSE (\d+)$/m.exec(await text('Dockerfile'))?.[1];
    expect(port).toBeDefined();
    const servers = [...nginx.matchAll(/^\s*server ([\w.-]+):(\d+)\b/gm)].map((m) => `${m[1]}:${m[2]}`);
    const apps = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
    expect(servers.sort()).toEqual(apps.map(([name]) => `${name}:${port}`).sort());
    for (const [, service] of apps) {
      const env = service.environment as Record<string, unknown>;
      if ('PORT' in env) expect(String(env.PORT)).toBe(port);
    }
    expect(nginx).toMatch(
      /location \/ws\/ \{[^}]*proxy_set_header Upgrade \$http_upgrade;[^}]*proxy_set_header Connection \$connection_upgrade;/,
    );
    // Longer than the chat heartbeat (WS_HEARTBEAT_MS, 30 s by default), or an idle chat would be cut by the proxy.
    const readTimeout = /location \/ws\/ \{[^}]*proxy_read_timeout (\d+)s;/.exec(nginx)?.[1];
    expect(Number(readTimeout)).toBeGreaterThan(30);
  });
});
