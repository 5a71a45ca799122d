/** Slow and stalled clients on a real listening server (issue 12, defect 3): every stall is dropped. */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { checkingIntervalMs, timeoutOptions } from '../../src/channels/timeouts.js';
import { loadConfig } from '../../src/config.js';
import { build } from '../helpers/app.js';
import { frames } from '../helpers/frames.js';
import { listen, type RawResponse, rawClient } from '../helpers/raw.js';

const SHORT = { HTTP_REQUEST_TIMEOUT_MS: '500', HTTP_HEADERS_TIMEOUT_MS: '300', HTTP_KEEP_ALIVE_TIMEOUT_MS: '300' };
/** Far more than a timeout plus Node's checking interval (and a keep-alive's one-second grace) take. */
const SLACK_MS = 4000;

/** Whatever a dropped client gets is nothing, or the contract's 408. */
function nothingOr408(response: RawResponse | null) {
  if (response === null) return;
  expect(response.status).toBe(408);
  expect(response.headers.connection).toBe('close');
  expect(response.body).toEqual({ error: { code: 'HL_ERR_REQUEST_TIMEOUT', message: expect.any(String) } });
}

describe('request timeouts', () => {
  it('drops a client that sends headers and part of a body and stalls (issue 12, defect 3)', async () => {
    const { app } = await build(SHORT);
    const port = await listen(app);
    const stalled = await rawClient(port);
    stalled.send('POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"text":"a');
    // Another client is served meanwhile, and after.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(await stalled.closedWithin(500 + SLACK_MS)).toBe(true);
    nothingOr408(stalled.response());
    const res = await fetch(`http://127.0.0.1:${port}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '大连透析审核怎么办' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ type: 'answer' });
  });

  it('drops a client that stalls in the middle of its headers (issue 12, defect 3)', async () => {
    const { app } = await build(SHORT);
    const stalled = await rawClient(await listen(app));
    stalled.send('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(await stalled.closedWithin(300 + SLACK_MS)).toBe(true);
    nothingOr408(stalled.response());
  });

  it('closes a keep-alive connection left idle after its answer (issue 12, defect 3)', async () => {
    const { app } = await build(SHORT);
    const idle = await rawClient(await listen(app));
    idle.send('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await idle.closedWithin(300 + SLACK_MS)).toBe(true);
    expect(idle.response()).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('keeps an open WebSocket past the request timeout: only a request still arriving is timed', async () => {
    const { app } = await build(SHORT);
    const port = await listen(app);
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws/chat`);
    const f = frames(socket);
    await new Promise((r) => socket.once('open', r));
    await new Promise((r) => setTimeout(r, 1500));
    socket.send(JSON.stringify({ type: 'ping' }));
    await f.next('pong');
    socket.close();
  });

  it('checks for stalls a quarter of the headers timeout apart, at most a second, and hands Node both timeouts', () => {
    const defaults = loadConfig({}).http;
    expect(checkingIntervalMs(defaults)).toBe(1000);
    expect(timeoutOptions(defaults)).toEqual({
      requestTimeout: 30000,
      keepAliveTimeout: 5000,
      http: { headersTimeout: 10000, connectionsCheckingInterval: 1000 },
    });
    expect(checkingIntervalMs(loadConfig(SHORT).http)).toBe(75);
  });
});
