/**
 * Every error a client can cause gets the documented shape `{ error: { code, message } }` (issue 12,
 * defect 9), on a real listening server: what `inject` cannot send (broken HTTP, a broken handshake).
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { build } from '../helpers/app.js';
import { listen, rawClient } from '../helpers/raw.js';

const JSON_TYPE = 'application/json; charset=utf-8';

describe('what Node’s HTTP parser refuses', () => {
  it.each([
    ['a request line with a bad version', 'GET /healthz HTTP/9.x\r\n\r\n'],
    ['bytes that are not HTTP', 'HELLO\u0001\u0002 world\r\n\r\n'],
    ['a header line without a colon', 'GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n'],
  ])('answers %s with 400 HL_ERR_BAD_REQUEST and closes (issue 12, defect 9)', async (_what, request) => {
    const log: string[] = [];
    const { app } = await build({}, undefined, { log });
    const client = await rawClient(await listen(app));
    client.send(request);
    expect(await client.closedWithin(2000)).toBe(true);
    expect(client.response()).toEqual({
      status: 400,
      headers: expect.objectContaining({ 'content-type': JSON_TYPE, connection: 'close' }),
      body: { error: { code: 'HL_ERR_BAD_REQUEST', message: expect.any(String) } },
    });
    // The client's doing: an info line, never an error, and no stack.
    const records = log.map((l) => JSON.parse(l) as { level: number; code?: string });
    expect(records).toContainEqual(expect.objectContaining({ level: 30, code: 'HL_ERR_BAD_REQUEST' }));
    expect(records.filter((r) => r.level >= 50)).toEqual([]);
    expect(log.join('')).not.toContain('"stack"');
  });

  it('answers headers over Node’s limit with 431 HL_ERR_HEADERS_TOO_LARGE and closes (issue 12, defect 9)', async () => {
    const { app } = await build();
    const client = await rawClient(await listen(app));
    client.send(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(await client.closedWithin(2000)).toBe(true);
    expect(client.response()).toEqual({
      status: 431,
      headers: expect.objectContaining({ 'content-type': JSON_TYPE, connection: 'close' }),
      body: { error: { code: 'HL_ERR_HEADERS_TOO_LARGE', message: expect.any(String) } },
    });
  });
});

describe('what Node would answer by itself with an empty body', () => {
  it('answers an HTTP/1.1 request without Host 400 HL_ERR_BAD_REQUEST (found by the fuzz check, issue 12, defect 9)', async () => {
    const { app } = await build();
    const client = await rawClient(await listen(app));
    client.send('GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(await client.closedWithin(2000)).toBe(true);
    expect(client.response()).toMatchObject({
      status: 400,
      body: { error: { code: 'HL_ERR_BAD_REQUEST', message: expect.stringContaining('Host') } },
    });
  });

  it('answers an Expect other than 100-continue 417 HL_ERR_EXPECTATION_FAILED (found by the fuzz check, issue 12, defect 9)', async () => {
    const { app } = await build();
    const client = await rawClient(await listen(app));
    client.send('GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\n\r\n');
    expect(await client.closedWithin(2000)).toBe(true);
    expect(client.response()).toEqual({
      status: 417,
      headers: expect.objectContaining({ 'content-type': JSON_TYPE }),
      body: { error: { code: 'HL_ERR_EXPECTATION_FAILED', message: expect.stringContaining('something-else') } },
    });
  });
});

const ALICE = 'alice-token-0123456789';
const AGENTS = { AGENT_TOKENS: `alice:${ALICE}` };

/** The status a WebSocket client is refused with before the upgrade (or 101 when it opens). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

describe('a WebSocket route asked without an upgrade', () => {
  it('answers 426 HL_ERR_UPGRADE_REQUIRED naming the upgrade, on /ws/chat and /ws/agent (issue 12, defect 9)', async () => {
    const { app } = await build(AGENTS);
    const port = await listen(app);
    for (const path of ['/ws/chat', `/ws/agent?token=${ALICE}`]) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(res.status, path).toBe(426);
      expect(res.headers.get('upgrade'), path).toBe('websocket');
      expect(res.headers.get('content-type'), path).toBe(JSON_TYPE);
      expect(await res.json(), path).toEqual({
        error: { code: 'HL_ERR_UPGRADE_REQUIRED', message: 'This route takes a WebSocket upgrade' },
      });
    }
    // HEAD has no body, but the same status.
    expect((await fetch(`http://127.0.0.1:${port}/ws/chat`, { method: 'HEAD' })).status).toBe(426);
  });

  it('still refuses /ws/agent with a bad token with 401 first, with or without an upgrade', async () => {
    const { app } = await build(AGENTS);
    const port = await listen(app);
    const plain = await fetch(`http://127.0.0.1:${port}/ws/agent?token=nope`);
    expect(plain.status).toBe(401);
    expect(await plain.json()).toMatchObject({ error: { code: 'HL_ERR_AGENT_UNAUTHORIZED' } });
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/ws/agent?token=nope`)).toBe(401);
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/ws/agent?token=${ALICE}`)).toBe(101);
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/ws/chat`)).toBe(101);
  });
});

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

/** An upgrade request with the given handshake headers (Host and Connection: Upgrade added). */
function handshake(path: string, headers: Record<string, string>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n${lines.join('')}\r\n`;
}

describe('a malformed WebSocket handshake', () => {
  it.each([
    ['no Sec-WebSocket-Key', { Upgrade: 'websocket', 'Sec-WebSocket-Version': '13' }, 'Sec-WebSocket-Key'],
    [
      'a Sec-WebSocket-Key that is not 16 bytes in base64',
      { Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'short' },
      'Sec-WebSocket-Key',
    ],
    [
      'Sec-WebSocket-Version 12',
      { Upgrade: 'websocket', 'Sec-WebSocket-Version': '12', 'Sec-WebSocket-Key': KEY },
      'Sec-WebSocket-Version',
    ],
    ['no Sec-WebSocket-Version', { Upgrade: 'websocket', 'Sec-WebSocket-Key': KEY }, 'Sec-WebSocket-Version'],
    ['an Upgrade to another protocol', { Upgrade: 'h2c', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': KEY }, 'Upgrade'],
    [
      'a malformed subprotocol list',
      { Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': KEY, 'Sec-WebSocket-Protocol': 'chat,,x' },
      'Sec-WebSocket-Protocol',
    ],
  ])('with %s is answered 400 HL_ERR_WS_BAD_HANDSHAKE with the contract’s body (issue 12, defect 9)', async (_what, headers, named) => {
    const log: string[] = [];
    const { app } = await build(AGENTS, undefined, { log });
    const port = await listen(app);
    for (const path of ['/ws/chat', `/ws/agent?token=${ALICE}`]) {
      const client = await rawClient(port);
      client.send(handshake(path, headers));
      expect(await client.closedWithin(2000), path).toBe(true);
      expect(client.response(), path).toEqual({
        status: 400,
        headers: expect.objectContaining({ 'content-type': JSON_TYPE, connection: 'close', 'sec-websocket-version': '13, 8' }),
        body: { error: { code: 'HL_ERR_WS_BAD_HANDSHAKE', message: expect.stringContaining(named) } },
      });
    }
    const records = log.map((l) => JSON.parse(l) as { level: number; code?: string });
    expect(records).toContainEqual(expect.objectContaining({ level: 30, code: 'HL_ERR_WS_BAD_HANDSHAKE' }));
    expect(records.filter((r) => r.level >= 50)).toEqual([]);
    expect(log.join('')).not.toContain(ALICE);
  });

  it('refuses a bad token with 401 before looking at the handshake', async () => {
    const { app } = await build(AGENTS);
    const client = await rawClient(await listen(app));
    client.send(handshake('/ws/agent?token=nope', { Upgrade: 'websocket', 'Sec-WebSocket-Version': '13' }));
    expect(await client.closedWithin(2000)).toBe(true);
    expect(client.response()).toMatchObject({ status: 401, body: { error: { code: 'HL_ERR_AGENT_UNAUTHORIZED' } } });
  });
});
