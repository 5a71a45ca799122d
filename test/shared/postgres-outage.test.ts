/**
 * Issue 15, a dependency unavailable. PostgreSQL: `/readyz` says so (503 naming postgres); a citizen's message is refused at once
 * with HL_ERR_UNAVAILABLE and told what to do (send it again, or the region's hotline, cited), not left hanging;
 * everything acknowledged before is there when PostgreSQL is back, and the chat goes on. PostgreSQL is taken away
 * behind a TCP proxy (the machine's own server is never touched). Redis, the same way, under two instances that
 * share the desk: ready says so, turns and tickets go on from PostgreSQL, and both instances read them once it is back.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, buildAssistant } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { coalescing } from '../../src/store/coalescing.js';
import { PgStore } from '../../src/store/postgres.js';
import { afterTest } from '../helpers/cleanup.js';
import { frames } from '../helpers/frames.js';
import { projectKnowledge } from '../helpers/knowledge.js';
import { needPostgres, needRedis, POSTGRES, REDIS, redisPrefix } from '../helpers/services.js';
import { tcpProxy } from '../helpers/tcp-proxy.js';
import { postPush, textPush, uniqueMsgId, WECHAT_ENV } from '../helpers/wechat.js';

const ready = (await needPostgres()) && (await needRedis());
const SCHEMA = `hltest_outage_${process.pid}_${Date.now()}`;
const schemas = [SCHEMA];

afterAll(async () => {
  if (!ready) return;
  const admin = await PgStore.open({ url: POSTGRES.url, schema: 'hltest_admin' });
  for (const schema of schemas) await admin.dropSchema(schema);
  await admin.close();
});

describe.runIf(ready)('PostgreSQL unavailable (issue 15)', () => {
  it('says so on /readyz, refuses a message at once with what to do, and loses nothing acknowledged', async () => {
    const proxy = await tcpProxy({ host: '127.0.0.1', port: 5432 });
    afterTest(() => proxy.close());
    const url = POSTGRES.url.replace(':5432', `:${proxy.port}`);
    const store = await PgStore.open({ url, schema: SCHEMA });
    afterTest(() => store.close());
    const config = loadConfig({ DATABASE_URL: url, DATABASE_SCHEMA: SCHEMA, ...WECHAT_ENV, WECHAT_REGION: '大连' });
    const knowledge = new KnowledgeStore(projectKnowledge);
    await knowledge.reload();
    const app = await buildApp({ config, knowledge, assistant: await buildAssistant(config), store: coalescing(store) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    afterTest(() => app.close());
    const base = `ws://127.0.0.1:${(app.server.address() as { port: number }).port}`;

    expect((await app.inject('/readyz')).json()).toMatchObject({ status: 'ready', dependencies: { postgres: 'up' } });
    const { default: WebSocket } = await import('ws');
    const socket = new WebSocket(`${base}/ws/chat`);
    afterTest(() => socket.terminate());
    const f = frames(socket);
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'hello', region: '大连' }));
    const { sessionId } = await f.next('ready');
    socket.send(JSON.stringify({ type: 'message', id: 'm1', text: '大连异地就医备案怎么办理？' }));
    expect(await f.next('reply')).toMatchObject({ replyTo: 'm1' });

    await proxy.down();
    const readyz = await app.inject('/readyz');
    expect(readyz.statusCode).toBe(503);
    expect(readyz.json()).toMatchObject({ status: 'unavailable', dependencies: { postgres: 'down' } });
    const asked = performance.now();
    socket.send(JSON.stringify({ type: 'message', id: 'm2', text: '慢性病处方一次能开多久的药？' }));
    const refused = await f.next('error', 8000);
    // Said within the connection timeout (2 s), with time to spare on a loaded machine: not a hang.
    expect(performance.now() - asked).toBeLessThan(6000);
    expect(refused).toMatchObject({ code: 'HL_ERR_UNAVAILABLE', replyTo: 'm2' });
    expect(refused.text).toMatch(/请稍后再发一次；急事可拨打大连.*\d/);
    expect((refused.citations as unknown[]).length).toBe(1);
    const api = await app.inject({ method: 'POST', url: '/api/ask', payload: { text: '门诊报销比例是多少' } });
    expect(api.statusCode).toBe(503);
    expect(api.json().error.code).toBe('HL_ERR_UNAVAILABLE');
    // A WeChat follower is told the same, with the account's region's hotline.
    const wechat = await postPush(app, textPush('门诊报销比例是多少', uniqueMsgId()));
    expect(wechat.statusCode).toBe(200);
    expect(wechat.body).toMatch(/请稍后再发一次；急事可拨打大连.*\d/);

    await proxy.up();
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    socket.send(JSON.stringify({ type: 'message', id: 'm3', text: '慢性病处方一次能开多久的药？' }));
    expect(await f.next('reply', 8000)).toMatchObject({ replyTo: 'm3' });
    // What was acknowledged is kept, once; what was refused is not.
    const lines = (await store.transcript(sessionId as string)).filter((e) => e.role === 'user').map((e) => e.text);
    expect(lines).toEqual(['大连异地就医备案怎么办理？', '慢性病处方一次能开多久的药？']);
  }, 40_000);
});

describe.runIf(ready)('Redis unavailable while instances share the desk (issue 15)', () => {
  it('says so on /readyz, goes on answering from PostgreSQL, and keeps every acknowledged turn and ticket for both instances', async () => {
    const redisProxy = await tcpProxy({ host: REDIS.host, port: REDIS.port });
    afterTest(() => redisProxy.close());
    const { prefix, cleanup } = redisPrefix();
    afterTest(cleanup);
    const schema = `${SCHEMA}_redis`;
    schemas.push(schema);
    const env = {
      DATABASE_URL: POSTGRES.url,
      DATABASE_SCHEMA: schema,
      REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`,
      REDIS_PREFIX: prefix,
      AGENT_TOKENS: 'alice:token-alice-abcdefgh',
      AGENT_CAPACITY: '1',
    };
    const instance = async (id: string) => {
      const store = await PgStore.open({ url: POSTGRES.url, schema });
      afterTest(() => store.close());
      const config = loadConfig({ ...env, INSTANCE_ID: id });
      const knowledge = new KnowledgeStore(projectKnowledge);
      await knowledge.reload();
      const app = await buildApp({ config, knowledge, assistant: await buildAssistant(config), store: coalescing(store) });
      await app.listen({ port: 0, host: '127.0.0.1' });
      afterTest(() => app.close());
      return { app, store, ws: `ws://127.0.0.1:${(app.server.address() as { port: number }).port}` };
    };
    const a = await instance('a');
    const b = await instance('b');
    const { default: WebSocket } = await import('ws');
    const chat = async (base: string) => {
      const socket = new WebSocket(`${base}/ws/chat`);
      afterTest(() => socket.terminate());
      const f = frames(socket);
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'hello', region: '包头' }));
      return { socket, f, sessionId: (await f.next('ready')).sessionId as string };
    };
    const citizen = await chat(a.ws);

    await redisProxy.down();
    const readyz = await a.app.inject('/readyz');
    expect(readyz.statusCode).toBe(503);
    expect(readyz.json()).toMatchObject({ dependencies: { redis: 'down', postgres: 'up' } });
    // Turns go on: their records are in PostgreSQL.
    citizen.socket.send(JSON.stringify({ type: 'message', id: 'm1', text: '包头慢性病处方一次能开多久的药？' }));
    expect(await citizen.f.next('reply', 8000)).toMatchObject({ replyTo: 'm1' });
    // A queue change on A while B cannot hear of it: B reads it from PostgreSQL at its next run (its tick).
    citizen.socket.send(JSON.stringify({ type: 'ticket', id: 't1', phone: '13904712345', question: '请回电' }));
    expect(await citizen.f.next('ticket', 8000)).toMatchObject({ replyTo: 't1' });

    await redisProxy.up();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await a.app.inject('/readyz')).statusCode).toBe(200);
    expect((await b.app.inject('/readyz')).statusCode).toBe(200);
    const lines = (await b.store.transcript(citizen.sessionId)).map((e) => e.role);
    expect(lines).toEqual(['user', 'bot', 'system']);
    expect((await b.store.listTickets()).map((t) => t.sessionId)).toEqual([citizen.sessionId]);
  }, 40_000);
});
