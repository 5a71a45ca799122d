/**
 * Every error a client can cause gets the documented shape `{ error: { code, message } }` (issue 12,
 * defect 9), on a real listening server: what `inject` cannot send (broken HTTP, a broken handshake).
 */
import { describe, expect, it } from 'vitest';
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
