/**
 * Issue 15, several instances: two real processes (two ports) on one PostgreSQL schema and one Redis prefix, as
 * `npm run cluster` or docker-compose runs them. A citizen on A and an agent on B chat both ways; 100 agents on both
 * instances accept one queued chat at once and exactly one gets it; A killed with SIGKILL mid-chat, the citizen's
 * chat resumes on B with its transcript and the agent's chat carries on.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { removeDir, type Service, spawnService } from '../../bench/lib/service.js';
import { PgStore } from '../../src/store/postgres.js';
import { type Frame, frames } from '../helpers/frames.js';
import { needPostgres, needRedis, POSTGRES, REDIS, redisPrefix } from '../helpers/services.js';

const ready = (await needPostgres()) && (await needRedis());

const AGENTS = Array.from({ length: 101 }, (_, i) => ({ id: `agent${i}`, token: `token-agent-${i}-abcdefgh` }));
const run = `${process.pid}_${Date.now()}`;
const SCHEMA = `hltest_scale_${run}`;
const { prefix: PREFIX, cleanup: forgetKeys } = redisPrefix();

const dirs: string[] = [];
const sockets: WebSocket[] = [];

async function instance(id: string): Promise<Service> {
  const dataDir = await mkdtemp(join(tmpdir(), `hl-scale-${id}-`));
  dirs.push(dataDir);
  return spawnService({
    entry: 'src',
    dataDir,
    ready: 'healthz',
    pollMs: 50,
    env: {
      DATABASE_URL: POSTGRES.url,
      DATABASE_SCHEMA: SCHEMA,
      REDIS_URL: REDIS.url,
      REDIS_PREFIX: PREFIX,
      INSTANCE_ID: id,
      AGENT_TOKENS: AGENTS.map((a) => `${a.id}:${a.token}`).join(','),
      AGENT_CAPACITY: '1',
      AGENT_RATE_MESSAGES: '1000',
      WS_RATE_MESSAGES: '1000',
      LOG_LEVEL: 'warn',
    },
  });
}

async function open(url: string): Promise<{ socket: WebSocket; f: ReturnType<typeof frames> }> {
  const socket = new WebSocket(url);
  sockets.push(socket);
  const f = frames(socket);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, f };
}

const ws = (service: Service, path: string) => `${service.base.replace('http', 'ws')}${path}`;
const agentOn = (service: Service, n: number) => open(ws(service, `/ws/agent?token=${AGENTS[n]?.token}`));
const send = (socket: WebSocket, frame: object) => socket.send(JSON.stringify(frame));

/** Waits until `check` holds, polling (the other instance's news travels through Redis). */
async function until<T>(check: () => T | Promise<T>, what: string, ms = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let a: Service;
let b: Service;

beforeAll(async () => {
  if (!ready) return;
  [a, b] = await Promise.all([instance('a'), instance('b')]);
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.terminate();
  await Promise.all([a?.stop(), b?.stop()]);
  for (const d of dirs) await removeDir(d);
  if (!ready) return;
  await forgetKeys();
  const admin = await PgStore.open({ url: POSTGRES.url, schema: 'hltest_admin' });
  await admin.dropSchema(SCHEMA);
  await admin.close();
}, 60_000);

describe.runIf(ready)('two instances on one PostgreSQL and one Redis (issue 15)', () => {
  let citizen: Awaited<ReturnType<typeof open>>;
  let agent: Awaited<ReturnType<typeof open>>;
  let sessionId: string;
  let resumeToken: string;

  it('carries a live chat between a citizen on A and an agent on B, both ways', async () => {
    agent = await agentOn(b, 0);
    expect(await agent.f.next('welcome')).toMatchObject({ agent: 'agent0' });
    citizen = await open(ws(a, '/ws/chat'));
    send(citizen.socket, { type: 'hello', region: '大连' });
    const hello = await citizen.f.next('ready');
    sessionId = hello.sessionId as string;
    resumeToken = hello.resumeToken as string;
    send(citizen.socket, { type: 'message', id: 'm1', text: '大连异地就医备案怎么办理？' });
    expect(await citizen.f.next('reply')).toMatchObject({ replyTo: 'm1' });
    send(citizen.socket, { type: 'handoff' });
    const chat = await agent.f.next('chat');
    expect(chat).toMatchObject({ sessionId, region: '大连' });
    expect((chat.transcript as Frame[]).map((e) => e.role)).toEqual(['user', 'bot', 'system']);
    send(agent.socket, { type: 'message', sessionId, text: '您好，我是人工客服，请讲。' });
    expect(await citizen.f.next('agent')).toMatchObject({ text: '您好，我是人工客服，请讲。' });
    send(citizen.socket, { type: 'message', id: 'm2', text: '我下个月去上海住院' });
    expect(await agent.f.next('user')).toMatchObject({ sessionId, entry: { text: '我下个月去上海住院' } });
  });

  it('gives one queued chat to exactly one of 100 agents on both instances accepting it at once', async () => {
    // agent0 holds the first chat (capacity 1): the next request waits in the queue.
    const waiting = await open(ws(b, '/ws/chat'));
    send(waiting.socket, { type: 'hello', region: '包头' });
    const queuedId = (await waiting.f.next('ready')).sessionId as string;
    const consoles = await Promise.all(AGENTS.slice(1).map((_, i) => agentOn(i % 2 ? a : b, i + 1)));
    for (const c of consoles) {
      await c.f.next('welcome');
      send(c.socket, { type: 'presence', status: 'away' });
    }
    // Every console's agent away before the chat is queued: nobody takes it by themselves.
    await new Promise((r) => setTimeout(r, 1000));
    send(waiting.socket, { type: 'handoff' });
    expect(await waiting.f.next('handoff')).toMatchObject({ event: 'queued', state: 'queued' });
    for (const c of consoles) await until(() => c.f.queue.some((f) => f.type === 'queue' && f.total === 1), 'the queue on every console');
    for (const [i, c] of consoles.entries()) send(c.socket, { type: 'accept', id: `acc${i}`, sessionId: queuedId });
    const outcomes = await Promise.all(
      consoles.map((c) =>
        until(
          () =>
            c.f.queue.find(
              (f) => (f.type === 'chat' && f.sessionId === queuedId) || (f.type === 'error' && String(f.replyTo).startsWith('acc')),
            ),
          'an answer to every accept',
          30_000,
        ),
      ),
    );
    const won = outcomes.filter((f) => f.type === 'chat');
    expect(won).toHaveLength(1);
    for (const f of outcomes.filter((x) => x.type === 'error')) expect(f.code).toBe('HL_ERR_BAD_TRANSITION');
    expect(await waiting.f.next('handoff')).toMatchObject({ event: 'assigned', state: 'agent' });
    for (const c of consoles) c.socket.terminate();
  }, 90_000);

  it('resumes the citizen’s chat on B, transcript and agent included, when A is killed mid-chat', async () => {
    await a.kill();
    const killedAt = performance.now();
    const back = await open(ws(b, '/ws/chat'));
    send(back.socket, { type: 'hello', sessionId, resumeToken, region: '大连' });
    const resumed = await back.f.next('ready');
    const failoverMs = performance.now() - killedAt;
    console.log(`failover: SIGKILL of A to the chat resumed on B in ${failoverMs.toFixed(0)} ms`);
    expect(resumed).toMatchObject({ sessionId, state: 'agent' });
    expect((resumed.history as Frame[]).map((e) => e.text)).toEqual(
      expect.arrayContaining(['大连异地就医备案怎么办理？', '您好，我是人工客服，请讲。', '我下个月去上海住院']),
    );
    send(back.socket, { type: 'message', id: 'm3', text: '需要带什么材料？' });
    expect(await back.f.next('ack')).toMatchObject({ replyTo: 'm3', state: 'agent' });
    expect(await agent.f.next('user')).toMatchObject({ sessionId, entry: { text: '需要带什么材料？' } });
    send(agent.socket, { type: 'message', sessionId, text: '带身份证和医保卡。' });
    expect(await back.f.next('agent')).toMatchObject({ text: '带身份证和医保卡。' });
  }, 30_000);
});
