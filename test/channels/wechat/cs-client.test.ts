import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CustomerServiceClient } from '../../../src/channels/wechat/cs-client.js';

/** A local stand-in for api.weixin.qq.com: records each request and answers through `reply`. */
interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
}
type Reply = (req: Seen, res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let seen: Seen[];
let reply: Reply;
let clock: number;
let tokensIssued: number;

const json = (res: ServerResponse, body: unknown, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};
/** The default fake: issues tok1, tok2 … on /cgi-bin/token (after a short delay) and accepts every message. */
const defaultReply: Reply = (req, res) => {
  if (req.path === '/cgi-bin/token') {
    tokensIssued++;
    setTimeout(() => json(res, { access_token: `tok${tokensIssued}`, expires_in: 7200 }), 20);
  } else json(res, { errcode: 0, errmsg: 'ok' });
};
const sends = () => seen.filter((r) => r.path !== '/cgi-bin/token');
const client = (extra: Partial<ConstructorParameters<typeof CustomerServiceClient>[0]> = {}) =>
  new CustomerServiceClient({ baseUrl, appId: 'wxAPP', appSecret: 's3cret', now: () => clock, ...extra });
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return `${(err as { code?: string }).code}: ${(err as Error).message}`;
  }
  return 'no error';
}

beforeEach(async () => {
  seen = [];
  reply = defaultReply;
  clock = 1_700_000_000_000;
  tokensIssued = 0;
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const entry = { method: req.method ?? '', path: url.pathname, query: url.searchParams, body };
      seen.push(entry);
      reply(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('CustomerServiceClient', () => {
  it('fetches the token once with AppID and secret, and sends text as raw UTF-8 JSON', async () => {
    const cs = client();
    await cs.sendText('o_user', '您的问题已转人工');
    await cs.sendText('o_user', '第二条');
    const [token, ...posts] = seen;
    expect(token).toMatchObject({ method: 'GET', path: '/cgi-bin/token' });
    expect(Object.fromEntries(token?.query ?? [])).toEqual({ grant_type: 'client_credential', appid: 'wxAPP', secret: 's3cret' });
    expect(posts.map((p) => [p.method, p.path, p.query.get('access_token')])).toEqual([
      ['POST', '/cgi-bin/message/custom/send', 'tok1'],
      ['POST', '/cgi-bin/message/custom/send', 'tok1'],
    ]);
    expect(posts[0]?.body).toBe('{"touser":"o_user","msgtype":"text","text":{"content":"您的问题已转人工"}}');
  });

  it('refreshes the token 5 minutes before it expires, not earlier', async () => {
    const cs = client();
    expect(await cs.accessToken()).toBe('tok1');
    clock += (7200 - 301) * 1000;
    expect(await cs.accessToken()).toBe('tok1');
    clock += 2000;
    expect(await cs.accessToken()).toBe('tok2');
    expect(tokensIssued).toBe(2);
  });

  it('makes one token request however many callers wait for it', async () => {
    const cs = client();
    await Promise.all(Array.from({ length: 10 }, (_, i) => cs.sendText(`o_${i}`, 'hi')));
    expect(tokensIssued).toBe(1);
    expect(sends()).toHaveLength(10);
  });

  it.each([40001, 42001, 40014])('on errcode %i refreshes the token once and retries', async (errcode) => {
    reply = (req, res) => {
      if (req.path !== '/cgi-bin/token' && req.query.get('access_token') === 'tok1') json(res, { errcode, errmsg: 'invalid credential' });
      else defaultReply(req, res);
    };
    await client().sendText('o_user', 'hi');
    expect(sends().map((r) => r.query.get('access_token'))).toEqual(['tok1', 'tok2']);
  });

  it('gives up after one retry when the fresh token is refused too', async () => {
    reply = (req, res) =>
      req.path === '/cgi-bin/token' ? defaultReply(req, res) : json(res, { errcode: 40001, errmsg: 'invalid credential' });
    expect(await failure(client().sendText('o_user', 'hi'))).toMatch(/^HL_ERR_WECHAT_API: .*errcode 40001/);
    expect(sends()).toHaveLength(2);
  });

  it.each([45015, 45047])('maps errcode %i to the quota error the agent is told about', async (errcode) => {
    reply = (req, res) => (req.path === '/cgi-bin/token' ? defaultReply(req, res) : json(res, { errcode, errmsg: 'limit' }));
    expect(await failure(client().sendText('o_user', 'hi'))).toMatch(new RegExp(`^HL_ERR_WECHAT_QUOTA: .*errcode ${errcode}`));
  });

  it('maps other errcodes, HTTP failures and a bad token answer to an API error naming the cause', async () => {
    reply = (req, res) =>
      req.path === '/cgi-bin/token' ? defaultReply(req, res) : json(res, { errcode: 40003, errmsg: 'invalid openid' });
    expect(await failure(client().typing('o_user'))).toBe(
      'HL_ERR_WECHAT_API: The WeChat API call message/custom/typing failed: errcode 40003 (invalid openid)',
    );
    expect(JSON.parse(seen.at(-1)?.body ?? '')).toEqual({ touser: 'o_user', command: 'Typing' });

    reply = (req, res) => (req.path === '/cgi-bin/token' ? defaultReply(req, res) : json(res, {}, 503));
    expect(await failure(client().sendText('o_user', 'hi'))).toMatch(/^HL_ERR_WECHAT_API: .*HTTP 503$/);

    reply = (_req, res) => json(res, { errcode: 40125, errmsg: 'invalid appsecret' });
    const message = await failure(client().sendText('o_user', 'hi'));
    expect(message).toMatch(/^HL_ERR_WECHAT_API: The WeChat API call token failed: errcode 40125/);
    expect(message).not.toContain('s3cret');
  });

  it('times out a request that gets no answer', async () => {
    reply = () => {};
    expect(await failure(client({ timeoutMs: 100 }).accessToken())).toBe(
      'HL_ERR_WECHAT_API: The WeChat API call token failed: no answer within 100 ms',
    );
  });

  it('lets a later caller retry after a failed token request', async () => {
    let first = true;
    reply = (req, res) => {
      if (req.path === '/cgi-bin/token' && first) {
        first = false;
        json(res, { errcode: -1, errmsg: 'system busy' });
      } else defaultReply(req, res);
    };
    const cs = client();
    expect(await failure(cs.accessToken())).toMatch(/errcode -1/);
    expect(await cs.accessToken()).toBe('tok1');
  });
});
