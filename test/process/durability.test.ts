/**
 * Durability of the SQLite store through the real server process: citizens leave callback tickets over
 * `/ws/chat` as fast as they can while the process is killed with SIGKILL; after a restart on the same
 * DATA_DIR every ticket a citizen was shown is listed for the agents, and every transcript line a citizen
 * got a reply for is there.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SqliteStore } from '../../src/store/sqlite.js';
import { frames } from '../helpers/frames.js';
import { KNOWLEDGE_DIR, ROOT } from '../helpers/knowledge.js';

const TOKEN = 'durability-agent-token-01';
const WRITERS = 4;
const KILL_AFTER = 200;

let dir = '';
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function start(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'server.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      KNOWLEDGE_DIR,
      DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: 'info',
      AGENT_TOKENS: `keeper:${TOKEN}`,
      WS_RATE_MESSAGES: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 30_000);
    const read = (d: Buffer) => {
      output += d.toString();
      const m = /Server listening at http:\/\/(127\.0\.0\.1:\d+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
  });
  return { child, base };
}

describe('the SQLite store under SIGKILL', () => {
  it('loses no ticket and no transcript line a citizen was answered for', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hl-durable-'));
    const first = await start();
    const shown: { ticket: string; sessionId: string }[] = [];
    let stop = false;
    let killed: () => void = () => {};
    const enough = new Promise<void>((resolve) => {
      killed = resolve;
    });

    // Each writer: a new session, a question answered by the bot, then a callback ticket; again and again.
    const writer = async (n: number) => {
      while (!stop) {
        const socket = new WebSocket(`ws://${first.base}/ws/chat`);
        const f = frames(socket);
        const closed = new Promise((r) => socket.once('close', r));
        try {
          await new Promise((resolve, reject) => {
            socket.once('open', resolve);
            socket.once('error', reject);
          });
          socket.send(JSON.stringify({ type: 'hello', region: '包头' }));
          const sessionId = (await f.next('ready', 2000)).sessionId as string;
          socket.send(JSON.stringify({ type: 'message', id: 'q', text: '包头高血压能开几个月的药？' }));
          await f.next('reply', 2000);
          socket.send(
            JSON.stringify({
              type: 'ticket',
              id: 't',
              phone: `1380471${String(n * 1000 + shown.length).padStart(4, '0')}`,
              question: '请回电',
            }),
          );
          const ticket = (await f.next('ticket', 2000)).id as string;
          shown.push({ ticket, sessionId });
          if (shown.length >= KILL_AFTER) killed();
        } catch {
          // The server went away mid-conversation: what was not acknowledged is not counted.
        }
        socket.terminate();
        await closed;
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, n) => writer(n));
    await enough;
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await exited;

    // The file as the killed process left it.
    const store = new SqliteStore({ dataDir: join(dir, 'data') });
    const stored = new Set((await store.listTickets(undefined, { limit: 100_000 })).map((t) => t.id));
    const missingTickets = shown.filter((s) => !stored.has(s.ticket));
    const transcripts = await Promise.all(shown.map(async (s) => (await store.transcript(s.sessionId)).map((e) => e.role)));
    const missingTranscripts = shown.filter((_s, i) => {
      const roles = transcripts[i] as string[];
      return !(roles.includes('user') && roles.includes('bot') && roles.includes('system'));
    });
    await store.close();
    console.log(
      `durability: ${shown.length} tickets shown to citizens before SIGKILL, ${stored.size} stored, ${missingTickets.length} missing; ${missingTranscripts.length} transcripts incomplete`,
    );
    expect(shown.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(missingTickets).toEqual([]);
    expect(missingTranscripts).toEqual([]);

    // The restarted service serves them to agents.
    const second = await start();
    const res = await fetch(`http://${second.base}/api/agent/tickets?status=open&limit=500`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const body = (await res.json()) as { tickets: { id: string }[] };
    expect(res.status, JSON.stringify(body)).toBe(200);
    const listed = new Set(body.tickets.map((t) => t.id));
    for (const s of shown.slice(-100)) expect(listed.has(s.ticket)).toBe(true);
    const stopped = new Promise((r) => second.child.once('exit', r));
    second.child.kill('SIGTERM');
    await stopped;
  }, 90_000);
});

describe('a conversation across a restart', () => {
  it('keeps its topic: 异地就医备案 → 大连, restart, 那包头呢？ still answers about 异地就医备案 (issue 13)', async () => {
    dir ||= await mkdtemp(join(tmpdir(), 'hl-durable-'));
    const chat = async (base: string) => {
      const socket = new WebSocket(`ws://${base}/ws/chat`);
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      const f = frames(socket);
      let n = 0;
      const ask = async (text: string) => {
        socket.send(JSON.stringify({ type: 'message', id: `m${++n}`, text }));
        return (await f.next('reply', 5000)).reply as { type: string; intent: string; citations: { notice: string }[] };
      };
      return { socket, f, ask };
    };
    const first = await start();
    const one = await chat(first.base);
    one.socket.send(JSON.stringify({ type: 'hello' }));
    const ready = await one.f.next('ready');
    expect((await one.ask('我想办异地就医备案')).type).toBe('clarify');
    expect(await one.ask('大连')).toMatchObject({ type: 'answer', intent: 'remote.filing' });
    one.socket.terminate();
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await exited;

    const second = await start();
    const two = await chat(second.base);
    two.socket.send(JSON.stringify({ type: 'hello', sessionId: ready.sessionId, resumeToken: ready.resumeToken }));
    expect((await two.f.next('ready')).sessionId).toBe(ready.sessionId);
    const followUp = await two.ask('那包头呢？');
    expect(followUp).toMatchObject({ type: 'answer', intent: 'remote.filing' });
    expect(followUp.citations[0]?.notice).toMatch(/^baotou-/);
    two.socket.terminate();
    const stopped = new Promise((r) => second.child.once('exit', r));
    second.child.kill('SIGTERM');
    await stopped;
  }, 60_000);
});
