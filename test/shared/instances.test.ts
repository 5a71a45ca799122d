/**
 * Two instances of the service on one Redis (two apps in this process under one key prefix): a WeChat push
 * that reaches both is answered once, the HTTP rate limit is counted for both together, and a knowledge
 * reload on one reloads the other (issue 15). Skipped without Redis unless CI is set.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseMessage } from '../../src/channels/wechat/xml.js';
import { Assistant } from '../../src/dialogue/assistant.js';
import type { KnowledgeBase } from '../../src/kb/knowledge-base.js';
import { buildFromDir } from '../../src/kb/load.js';
import { build } from '../helpers/app.js';
import { afterTest } from '../helpers/cleanup.js';
import { FIXTURES, KNOWLEDGE_DIR, knowledgeOf, projectKnowledge, ROOT } from '../helpers/knowledge.js';
import { needRedis, REDIS, redisPrefix } from '../helpers/services.js';
import { tcpProxy } from '../helpers/tcp-proxy.js';
import { FOLLOWER, postPush, textPush, uniqueMsgId, WECHAT_ENV as WECHAT } from '../helpers/wechat.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Two instances on one Redis under a key prefix of the test's own: the same settings, each its own INSTANCE_ID. */
async function pair(env: Record<string, string>, load?: [() => Promise<KnowledgeBase>, () => Promise<KnowledgeBase>], awaitLoad = true) {
  const { prefix, cleanup } = redisPrefix();
  afterTest(cleanup);
  const shared = { REDIS_URL: REDIS.url, REDIS_PREFIX: prefix };
  const a = await build({ ...shared, ...env, INSTANCE_ID: 'a' }, load?.[0], { awaitLoad });
  const b = await build({ ...shared, ...env, INSTANCE_ID: 'b' }, load?.[1], { awaitLoad });
  return [a, b] as const;
}

const post = postPush;
const pushesCounted = async (app: FastifyInstance) =>
  Number(/hl_wechat_pushes_total\{kind="text"\} (\d+)/.exec((await app.inject('/metrics')).body)?.[1] ?? 0);

/** A local customer-service API that records what is sent. */
async function fakeWechat(): Promise<{ base: string; sent: { touser: string; text: { content: string } }[] }> {
  const sent: { touser: string; text: { content: string } }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/cgi-bin/token')) return res.end(JSON.stringify({ access_token: 'tok', expires_in: 7200 }));
      if (req.url?.startsWith('/cgi-bin/message/custom/send')) sent.push(JSON.parse(body));
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  afterTest(() => new Promise<void>((r) => server.close(() => r())));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent };
}

describe.runIf(await needRedis())('two instances on one Redis (issue 15)', () => {
  it('answers a WeChat MsgId pushed to both at once once, and both requests get that answer', async () => {
    const [a, b] = await pair(WECHAT);
    const asks = vi.spyOn(Assistant.prototype, 'answer');
    const body = textPush('包头高血压一次能开几个月的药？', uniqueMsgId());
    const [ra, rb] = await Promise.all([post(a.app, body), post(b.app, body)]);
    expect(asks).toHaveBeenCalledTimes(1);
    expect((await pushesCounted(a.app)) + (await pushesCounted(b.app))).toBe(1);
    const [ma, mb] = [parseMessage(ra.body), parseMessage(rb.body)];
    expect(ma.content).toContain('三个月');
    expect(mb.content).toBe(ma.content);
    // A retry later, on either instance, gets it too, still computed once.
    expect(parseMessage((await post(b.app, body)).body).content).toBe(ma.content);
    expect(asks).toHaveBeenCalledTimes(1);
  });

  it('when the answer is late, both reply success and it goes out through the customer-service API once', async () => {
    const api = await fakeWechat();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    // Both instances are still loading their knowledge (a restart): no answer can be ready within the budget.
    const slow = async () => {
      await gate;
      return projectKnowledge();
    };
    const [a, b] = await pair({ ...WECHAT, WECHAT_API_BASE: api.base, WECHAT_REPLY_BUDGET_MS: '200' }, [slow, slow], false);
    const body = textPush('包头高血压一次能开几个月的药？', uniqueMsgId());
    const replies = await Promise.all([post(a.app, body), post(b.app, body)]);
    expect(replies.map((r) => r.body)).toEqual(['success', 'success']);
    release();
    await expect.poll(() => api.sent.length, { timeout: 5000 }).toBe(1);
    expect(api.sent[0]?.text.content).toContain('三个月');
    // WeChat's retry, on the other instance: success at once, nothing sent again.
    expect((await post(b.app, body)).body).toBe('success');
    expect((await post(a.app, body)).body).toBe('success');
    expect(api.sent.length).toBe(1);
    expect((await pushesCounted(a.app)) + (await pushesCounted(b.app))).toBe(1);
  });

  it('answers a push whose instance was lost while answering it at WeChat’s next retry, on another instance', async () => {
    const { prefix, cleanup } = redisPrefix();
    afterTest(cleanup);
    const env = { ...WECHAT, REDIS_PREFIX: prefix, WECHAT_REPLY_BUDGET_MS: '1000' };
    // a reaches Redis through a proxy, and cannot answer (its knowledge base never loads); b can.
    const proxy = await tcpProxy(REDIS);
    afterTest(() => proxy.close());
    const a = await build({ ...env, REDIS_URL: `redis://127.0.0.1:${proxy.port}`, INSTANCE_ID: 'a' }, () => new Promise(() => {}), {
      awaitLoad: false,
    });
    const b = await build({ ...env, REDIS_URL: REDIS.url, INSTANCE_ID: 'b' });
    const msgId = uniqueMsgId();
    const body = textPush('包头高血压一次能开几个月的药？', msgId);
    const redis = new Redis(REDIS.url);
    afterTest(() => void redis.disconnect());
    const first = post(a.app, body);
    await expect.poll(() => redis.get(`${prefix}wx:${FOLLOWER}|${msgId}`), { interval: 10 }).toContain('"by":"a"');
    // a is cut off from Redis with its claim there: it never says how the push ended.
    await proxy.down();
    expect((await first).body).toBe('success');
    // WeChat retries until it is answered (three times, seconds apart): once a's claim lapses, b answers.
    await expect.poll(async () => (await post(b.app, body)).body, { timeout: 8000, interval: 300 }).toContain('三个月');
  });

  it('counts the HTTP rate limit for both instances together', async () => {
    const [a, b] = await pair({ RATE_LIMIT_MAX: '4' });
    const codes: number[] = [];
    for (const app of [a.app, b.app, a.app, b.app, a.app, b.app]) codes.push((await app.inject('/notices')).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
    const refused = await b.app.inject('/notices');
    expect(refused.json().error.code).toBe('HL_ERR_RATE_LIMITED');
  });

  it('reloads the knowledge on every instance when one is asked, and the other stops serving cached answers', async () => {
    let loadsA = 0;
    const loadA = async () => {
      loadsA++;
      return projectKnowledge();
    };
    let loadsB = 0;
    let bServes: 'project' | 'other' = 'project';
    const loadB = async () => {
      loadsB++;
      return bServes === 'project' ? projectKnowledge() : otherKnowledge();
    };
    const [a, b] = await pair({ ADMIN_TOKEN: 'test-admin-token-0123456789', ANSWER_CACHE_MAX: '100' }, [loadA, loadB]);
    const question = { method: 'POST' as const, url: '/api/ask', payload: { text: '包头高血压一次能开几个月的药？' } };
    const before = (await b.app.inject(question)).json();
    expect(before.type).toBe('answer');
    expect(before.text).toContain('三个月');
    bServes = 'other';
    const res = await a.app.inject({
      method: 'POST',
      url: '/admin/reload',
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
    });
    expect(res.statusCode).toBe(200);
    await expect.poll(() => loadsB).toBe(2);
    await expect.poll(() => b.knowledge.current?.notices.length).toBe(1);
    const after = (await b.app.inject(question)).json();
    expect(after.text).not.toContain('三个月');
    expect(loadsA).toBe(2);
    // SIGHUP's way (the server calls it) from b reaches a, and b reloads once, not again for its own message.
    await b.app.reloadKnowledge();
    await expect.poll(() => loadsA).toBe(3);
    expect(loadsB).toBe(3);
  });

  it('answers from a notice published on the other instance, both on one knowledge folder (issue 16)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'hl-publish-pair-'));
    afterTest(() => rm(root, { recursive: true, force: true }));
    const knowledgeDir = join(root, 'knowledge');
    await cp(KNOWLEDGE_DIR, knowledgeDir, { recursive: true, filter: (src) => !src.startsWith(join(KNOWLEDGE_DIR, 'build')) });
    const token = 'op-token-0123456789abcdef';
    const load = () => buildFromDir(knowledgeDir);
    const env = {
      KNOWLEDGE_DIR: knowledgeDir,
      OPS_DIR: join(root, 'ops'),
      OPERATOR_TOKENS: `wang:${token}`,
      OPS_EVAL_FILES: join(ROOT, 'test', 'eval', 'questions.jsonl'),
    };
    const [a, b] = await pair(env, [load, load]);
    const question = { method: 'POST' as const, url: '/api/ask', payload: { text: '大连长期护理保险在哪里申请' } };
    expect((await b.app.inject(question)).json().type).toBe('handoff');
    const auth = { authorization: `Bearer ${token}` };
    await a.app.inject({
      method: 'PUT',
      url: '/api/ops/staging/dalian-ltc-example.txt',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      payload: await readFile(join(FIXTURES, 'ops', 'dalian-ltc-example.txt')),
    });
    const { fingerprint } = (await a.app.inject({ method: 'POST', url: '/api/ops/preview', headers: auth })).json();
    const published = await a.app.inject({ method: 'POST', url: '/api/ops/publish', headers: auth, payload: { fingerprint } });
    expect(published.statusCode).toBe(200);
    await expect.poll(() => b.knowledge.current?.notice('dalian-ltc-example') !== undefined).toBe(true);
    const answered = (await b.app.inject(question)).json();
    expect(answered.type).toBe('answer');
    expect(answered.citations[0].notice).toBe('dalian-ltc-example');
    // The history is the shared folder's: the other instance lists the publish and may roll it back.
    expect((await b.app.inject({ url: '/api/ops/publishes', headers: auth })).json().publishes[0]).toMatchObject({ kind: 'publish' });
    expect((await b.app.inject({ method: 'POST', url: '/api/ops/rollback', headers: auth })).statusCode).toBe(200);
    await expect.poll(() => a.knowledge.current?.notice('dalian-ltc-example')).toBeUndefined();
    expect((await a.app.inject(question)).json().type).toBe('handoff');
  });
});

let other: Promise<KnowledgeBase> | null = null;
/** A knowledge base of the Beijing notice alone. */
function otherKnowledge(): Promise<KnowledgeBase> {
  other ??= (async () => {
    const { readFile } = await import('node:fs/promises');
    const { KNOWLEDGE_DIR } = await import('../helpers/knowledge.js');
    const text = await readFile(`${KNOWLEDGE_DIR}/notices/beijing-2020-02-07.txt`, 'utf8');
    const { kb } = await knowledgeOf({ 'beijing-2020-02-07': text });
    return kb;
  })();
  return other;
}
