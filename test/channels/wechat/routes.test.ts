/**
 * `/wechat` end to end: URL verification, pushes in plaintext, compatible and safe mode, every kind of
 * message, the bad-input cases, retries (dedupe) and the late answer through the customer-service API —
 * against a local fake of api.weixin.qq.com, never the real one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { msgSignature, signature, WechatCrypto } from '../../../src/channels/wechat/crypto.js';
import { parseMessage } from '../../../src/channels/wechat/xml.js';
import { build } from '../../helpers/app.js';
import { frames } from '../../helpers/frames.js';
import { projectKnowledge } from '../../helpers/knowledge.js';

const TOKEN = 'hotlinetoken';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APP_ID = 'wx2c2769f8efd9abc2';
const ACCOUNT = 'gh_0123456789ab';
const USER = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const BASE_ENV = {
  WECHAT_TOKEN: TOKEN,
  WECHAT_APP_ID: APP_ID,
  WECHAT_APP_SECRET: 'app-secret',
  WECHAT_MENU: 'RX:慢性病一次能开多久的药？',
};

let fake: Server | null = null;
afterEach(() => {
  fake?.close();
  fake = null;
});

/** A local customer-service API: issues a token, records every message sent. */
async function fakeWechat(
  sendErrcode = 0,
): Promise<{ base: string; sent: { touser: string; text: { content: string } }[]; tokens: () => number }> {
  const sent: { touser: string; text: { content: string } }[] = [];
  let tokens = 0;
  fake = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      res.setHeader('content-type', 'application/json');
      if (url.pathname === '/cgi-bin/token') {
        tokens++;
        res.end(JSON.stringify({ access_token: `tok${tokens}`, expires_in: 7200 }));
      } else if (url.pathname === '/cgi-bin/message/custom/send') {
        sent.push(JSON.parse(body));
        res.end(
          JSON.stringify({ errcode: sendErrcode, errmsg: sendErrcode ? 'response out of time limit or subscription is canceled' : 'ok' }),
        );
      } else res.end(JSON.stringify({ errcode: 0 }));
    });
  });
  await new Promise<void>((r) => fake?.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`, sent, tokens: () => tokens };
}

/** The Encrypt field of an encrypted reply (which has no ToUserName, unlike a push). */
const encryptOf = (xml: string) => /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(xml)?.[1] ?? '';
const now = () => String(Math.floor(Date.now() / 1000));
function signed(extra: Record<string, string> = {}, timestamp = now()) {
  const nonce = 'n0nce';
  return new URLSearchParams({ signature: signature(TOKEN, timestamp, nonce), timestamp, nonce, ...extra }).toString();
}
const textPush = (content: string, msgId = String(Date.now() * 1000 + Math.floor(Math.random() * 1000))) =>
  `<xml><ToUserName><![CDATA[${ACCOUNT}]]></ToUserName><FromUserName><![CDATA[${USER}]]></FromUserName><CreateTime>${now()}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
const push = (fields: string) =>
  `<xml><ToUserName><![CDATA[${ACCOUNT}]]></ToUserName><FromUserName><![CDATA[${USER}]]></FromUserName><CreateTime>${now()}</CreateTime>${fields}</xml>`;

/** The app listening on loopback with agent alice's console connected. */
async function agentOnline(app: FastifyInstance) {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const agent = new WebSocket(`ws://127.0.0.1:${port}/ws/agent?token=alice-token-000000001`);
  const f = frames(agent);
  await f.next('welcome');
  return { agent, f };
}

async function post(app: FastifyInstance, body: string, query = signed()) {
  return app.inject({ method: 'POST', url: `/wechat?${query}`, headers: { 'content-type': 'text/xml' }, payload: body });
}

describe('WeChat URL verification (GET /wechat)', () => {
  it('answers echostr verbatim when the signature matches, 401 otherwise, and refuses a stale timestamp', async () => {
    const { app } = await build(BASE_ENV);
    const ok = await app.inject(`/wechat?${signed({ echostr: '5838479218127813673' })}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('5838479218127813673');
    const bad = await app.inject(`/wechat?signature=0000&timestamp=${now()}&nonce=x&echostr=1`);
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('HL_ERR_WECHAT_SIGNATURE');
    const old = await app.inject(`/wechat?${signed({ echostr: '1' }, String(Number(now()) - 3600))}`);
    expect(old.statusCode).toBe(401);
    expect(old.json().error.code).toBe('HL_ERR_WECHAT_STALE');
  });

  it('is off without WECHAT_TOKEN', async () => {
    const { app } = await build();
    expect((await app.inject(`/wechat?${signed({ echostr: '1' })}`)).statusCode).toBe(404);
  });
});

describe('WeChat pushes in plaintext mode', () => {
  it('answers a text question as a passive reply, addressed back, with its source and the notice link', async () => {
    const { app } = await build({ ...BASE_ENV, PUBLIC_BASE_URL: 'https://yb.example.gov.cn/' });
    const res = await post(app, textPush('包头高血压一次能开几个月的药？'));
    expect(res.statusCode).toBe(200);
    const reply = parseMessage(res.body);
    expect(reply).toMatchObject({ toUserName: USER, fromUserName: ACCOUNT, msgType: 'text' });
    expect(Math.abs(reply.createTime - Number(now()))).toBeLessThan(5);
    expect(reply.content).toContain('三个月');
    expect(reply.content).toContain('来源：');
    expect(reply.content).toMatch(/原文：https:\/\/yb\.example\.gov\.cn\/notices\/baotou-2022-10-08#/);
  });

  it('takes a reply of 1 or 2 right after an answer as 好差评 on it, once, and asks anything else (issue 13)', async () => {
    const { app } = await build({ ...BASE_ENV, ADMIN_TOKEN: 'admin-token-0123456789' });
    const answer = parseMessage((await post(app, textPush('包头高血压一次能开几个月的药？'))).body);
    expect(answer.content).toMatch(/这个回答有帮助请回复1，没帮助请回复2。$/);
    expect(parseMessage((await post(app, textPush('２'))).body).content).toContain('感谢您的反馈');
    // The last thing said is now the thanks, not an answer: another number is a question.
    expect(parseMessage((await post(app, textPush('1'))).body).content).not.toContain('感谢');
    const listed = await app.inject({ url: '/admin/feedback', headers: { authorization: 'Bearer admin-token-0123456789' } });
    expect(listed.json().feedback).toEqual([expect.objectContaining({ channel: 'wechat', vote: 'down', notice: 'baotou-2022-10-08' })]);
    expect((await app.inject({ url: '/metrics' })).body).toMatch(/^hl_feedback_total\{channel="wechat",vote="down",reason=""\} 1$/m);
  });

  it('treats recognised voice as its text, and asks for text when there is no recognition', async () => {
    const { app } = await build(BASE_ENV);
    const heard = parseMessage(
      (
        await post(
          app,
          push(
            '<MsgType><![CDATA[voice]]></MsgType><MediaId>m1</MediaId><Format>amr</Format><Recognition><![CDATA[大连透析审核怎么办]]></Recognition><MsgId>901</MsgId>',
          ),
        )
      ).body,
    );
    expect(heard.content).toContain('自动通过');
    const silent = parseMessage(
      (await post(app, push('<MsgType><![CDATA[voice]]></MsgType><MediaId>m2</MediaId><MsgId>902</MsgId>'))).body,
    );
    expect(silent.content).toContain('文字');
  });

  it('says what it can do for images and links, welcomes a new follower, answers a menu key, and stays silent on unsubscribe', async () => {
    const { app } = await build(BASE_ENV);
    const image = parseMessage(
      (await post(app, push('<MsgType><![CDATA[image]]></MsgType><PicUrl>http://x/p.jpg</PicUrl><MediaId>i</MediaId><MsgId>903</MsgId>')))
        .body,
    );
    expect(image.content).toContain('文字');
    const welcome = parseMessage((await post(app, push('<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event>'))).body);
    expect(welcome.content).toContain('慢性病');
    const menu = parseMessage(
      (await post(app, push('<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[RX]]></EventKey>')))
        .body,
    );
    expect(menu.content).toContain('哪个城市');
    const bye = await post(
      app,
      push('<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[unsubscribe]]></Event><EventKey><![CDATA[]]></EventKey>'),
    );
    expect(bye.body).toBe('success');
  });

  it('answers two followers whose pushes share a MsgId each on their own (issue 12: the second got the first one’s answer)', async () => {
    const { app } = await build(BASE_ENV);
    const msgId = '13572468013572468013';
    const first = parseMessage((await post(app, textPush('商洛企业缓缴医保最长多久？', msgId))).body);
    const other = textPush('大连透析审核怎么办？', msgId).replace(`<![CDATA[${USER}]]>`, '<![CDATA[o_another_follower]]>');
    const second = parseMessage((await post(app, other)).body);
    expect(first.content).toContain('商洛');
    expect(second.toUserName).toBe('o_another_follower');
    expect(second.content).toContain('大连');
    expect(second.content).not.toBe(first.content);
  });

  it('refuses an unsigned push before reading its body, whatever its size or type (issue 12: 413 and a JSON parse first)', async () => {
    const { app } = await build(BASE_ENV);
    const big = await app.inject({
      method: 'POST',
      url: '/wechat',
      headers: { 'content-type': 'text/xml' },
      payload: `<xml>${'x'.repeat(300 * 1024)}</xml>`,
    });
    expect(big.statusCode).toBe(401);
    expect(big.json().error.code).toBe('HL_ERR_WECHAT_SIGNATURE');
    const json = await app.inject({ method: 'POST', url: '/wechat', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expect(json.statusCode).toBe(401);
    expect(json.json().error.code).toBe('HL_ERR_WECHAT_SIGNATURE');
    const twice = await app.inject({
      method: 'POST',
      url: `/wechat?${signed()}&timestamp=1`,
      headers: { 'content-type': 'text/xml' },
      payload: textPush('你好'),
    });
    expect(twice.statusCode).toBe(401);
  });

  it('runs a retried MsgId once and gives the retry the same answer', async () => {
    const { app } = await build(BASE_ENV);
    const body = textPush('商洛企业缓缴医保最长多久？', '24680135791357924680');
    const first = parseMessage((await post(app, body)).body);
    const again = parseMessage((await post(app, body)).body);
    expect(again.content).toBe(first.content);
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toMatch(/hl_wechat_pushes_total\{kind="text"\} 1\n/);
  });
});

describe('WeChat pushes in safe and compatible mode', () => {
  const crypto = new WechatCrypto({ encodingAesKey: AES_KEY, appId: APP_ID });
  const env = { ...BASE_ENV, WECHAT_ENCODING_AES_KEY: AES_KEY };
  function sealed(inner: string, toUserName = ACCOUNT, plaintextSiblings = '') {
    const encrypt = crypto.encrypt(inner);
    const timestamp = now();
    const query = signed({ encrypt_type: 'aes', msg_signature: msgSignature(TOKEN, timestamp, 'n0nce', encrypt) }, timestamp);
    return {
      body: `<xml><ToUserName><![CDATA[${toUserName}]]></ToUserName>${plaintextSiblings}<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
      query,
    };
  }

  it('decrypts, answers, and encrypts and signs the reply', async () => {
    const { app } = await build(env);
    const { body, query } = sealed(textPush('包头高血压一次能开几个月的药？'));
    const res = await post(app, body, query);
    expect(res.statusCode).toBe(200);
    const outer = { encrypt: encryptOf(res.body) };
    const parts = /<MsgSignature><!\[CDATA\[(\w+)\]\]><\/MsgSignature>|<MsgSignature>(\w+)<\/MsgSignature>/.exec(res.body);
    const ts = /<TimeStamp>(?:<!\[CDATA\[)?(\d+)/.exec(res.body)?.[1] as string;
    const nonce = /<Nonce>(?:<!\[CDATA\[)?([^<\]]+)/.exec(res.body)?.[1] as string;
    expect(parts?.[1] ?? parts?.[2]).toBe(msgSignature(TOKEN, ts, nonce, outer.encrypt));
    const reply = parseMessage(crypto.decrypt(outer.encrypt).xml);
    expect(reply).toMatchObject({ toUserName: USER, fromUserName: ACCOUNT });
    expect(reply.content).toContain('三个月');
  });

  it('in compatible mode reads the encrypted message and ignores the plaintext beside it', async () => {
    const { app } = await build(env);
    const { body, query } = sealed(
      textPush('包头高血压一次能开几个月的药？'),
      ACCOUNT,
      '<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[今天天气怎么样]]></Content>',
    );
    const reply = parseMessage(crypto.decrypt(encryptOf((await post(app, body, query)).body)).xml);
    expect(reply.content).toContain('三个月');
  });

  it('refuses a wrong msg_signature, a message for another account, and a body it cannot decrypt', async () => {
    const { app } = await build(env);
    const { body, query } = sealed(textPush('你好'));
    const forged = query.replace(/msg_signature=\w+/, 'msg_signature=0123456789abcdef0123456789abcdef01234567');
    expect((await post(app, body, forged)).statusCode).toBe(401);
    const other = sealed(textPush('你好'), 'gh_another');
    expect((await post(app, other.body, other.query)).json().error.code).toBe('HL_ERR_WECHAT_DECRYPT');
    const timestamp = now();
    const junk = 'AAAAAAAAAAAAAAAAAAAAAA==';
    const q = signed({ encrypt_type: 'aes', msg_signature: msgSignature(TOKEN, timestamp, 'n0nce', junk) }, timestamp);
    const res = await post(app, `<xml><ToUserName><![CDATA[${ACCOUNT}]]></ToUserName><Encrypt><![CDATA[${junk}]]></Encrypt></xml>`, q);
    expect(res.statusCode).toBe(400);
  });
});

describe('WeChat bad input', () => {
  it('rejects DOCTYPE and entities, malformed XML, a body over the limit and a wrong signature — never a 5xx', async () => {
    const { app } = await build(BASE_ENV);
    const xxe = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&x;</Content></xml>`;
    const r1 = await post(app, xxe);
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.code).toBe('HL_ERR_WECHAT_XML_FORBIDDEN');
    const r2 = await post(app, '<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName');
    expect(r2.statusCode).toBe(400);
    expect(r2.json().error.code).toBe('HL_ERR_WECHAT_XML_MALFORMED');
    const r3 = await post(app, `<xml><Content>${'医'.repeat(100_000)}</Content></xml>`);
    expect(r3.statusCode).toBe(413);
    const r4 = await post(app, textPush('你好'), `signature=abc&timestamp=${now()}&nonce=n`);
    expect(r4.statusCode).toBe(401);
    const r5 = await post(app, textPush('你好'), signed({}, '1'));
    expect(r5.json().error.code).toBe('HL_ERR_WECHAT_STALE');
    const r6 = await app.inject({
      method: 'POST',
      url: `/wechat?${signed()}`,
      headers: { 'content-type': 'application/json' },
      payload: '{"a":1}',
    });
    expect(r6.statusCode).toBe(415);
    // Safe mode pushed to an account configured without an EncodingAESKey: nothing to decrypt with.
    const r7 = await post(
      app,
      `<xml><ToUserName>${ACCOUNT}</ToUserName><Encrypt>AAAA</Encrypt></xml>`,
      signed({ encrypt_type: 'aes', msg_signature: 'x' }),
    );
    expect(r7.json().error.code).toBe('HL_ERR_WECHAT_DECRYPT');
  });
});

describe('WeChat answers that are late, and handoffs', () => {
  it('replies success within the budget and delivers the answer through the customer-service API, once', async () => {
    const api = await fakeWechat();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    // The knowledge base is still loading (a restart): the answer cannot be ready within the budget.
    const { app } = await build(
      { ...BASE_ENV, WECHAT_API_BASE: api.base, WECHAT_REPLY_BUDGET_MS: '200' },
      async () => {
        await gate;
        return projectKnowledge();
      },
      { awaitLoad: false },
    );
    const body = textPush('包头高血压一次能开几个月的药？', '11112222333344445555');
    const t0 = performance.now();
    const first = await post(app, body);
    expect(first.body).toBe('success');
    expect(performance.now() - t0).toBeLessThan(1500);
    release();
    await expect.poll(() => api.sent.length, { timeout: 5000 }).toBe(1);
    expect(api.sent[0]).toMatchObject({ touser: USER, msgtype: 'text' });
    expect(api.sent[0]?.text.content).toContain('三个月');
    // WeChat's retry of the same message: no second answer, no second send.
    expect((await post(app, body)).body).toBe('success');
    await new Promise((r) => setTimeout(r, 200));
    expect(api.sent.length).toBe(1);
    expect(api.tokens()).toBe(1);
  });

  it('hands over with transfer_customer_service when configured to use WeChat’s own customer service', async () => {
    const { app } = await build({ ...BASE_ENV, WECHAT_HANDOFF: 'wechat' });
    const reply = parseMessage((await post(app, textPush('我要转人工客服'))).body);
    expect(reply.msgType).toBe('transfer_customer_service');
    expect(reply).toMatchObject({ toUserName: USER, fromUserName: ACCOUNT });
  });

  it('otherwise queues the follower for our agents, and an agent’s replies reach them through the customer-service API', async () => {
    const api = await fakeWechat();
    const { app } = await build({ ...BASE_ENV, WECHAT_API_BASE: api.base, AGENT_TOKENS: 'alice:alice-token-000000001' });
    const { agent, f } = await agentOnline(app);
    const first = parseMessage((await post(app, textPush('我要转人工客服'))).body);
    expect(first.content).toContain('人工客服已接入');
    const chat = await f.next('chat');
    expect(chat.sessionId).toBe(`wx:${USER}`);
    // With the agent: the follower's next message goes to her, and WeChat gets `success`.
    expect((await post(app, textPush('我的报销什么时候到账？'))).body).toBe('success');
    expect(((await f.next('user')).entry as { text: string }).text).toBe('我的报销什么时候到账？');
    agent.send(JSON.stringify({ type: 'message', sessionId: `wx:${USER}`, text: '您好，我来帮您查一下。' }));
    await expect.poll(() => api.sent.map((m) => m.text.content), { timeout: 5000 }).toContain('您好，我来帮您查一下。');
    // Told once: the passive reply said an agent took it; the customer-service API carried only her message.
    expect(api.sent.map((m) => m.text.content)).toEqual(['您好，我来帮您查一下。']);
    agent.close();
  });

  it('tells the agent, in the chat, when WeChat refuses more messages to the follower (quota)', async () => {
    const api = await fakeWechat(45047);
    const { app } = await build({ ...BASE_ENV, WECHAT_API_BASE: api.base, AGENT_TOKENS: 'alice:alice-token-000000001' });
    const { agent, f } = await agentOnline(app);
    await post(app, textPush('我要转人工客服'));
    await f.next('chat');
    agent.send(JSON.stringify({ type: 'message', sessionId: `wx:${USER}`, text: '您好。' }));
    for (;;) {
      const e = (await f.next('entry')).entry as { role: string; text: string };
      if (e.role === 'system') {
        expect(e.text).toContain('额度');
        break;
      }
    }
    agent.close();
  });
});
