/**
 * The real process: `src/server.ts` started as `npm start` would run it, on a copy of the knowledge
 * folder — it serves, reloads on SIGHUP (a notice dropped in becomes available), keeps the old knowledge
 * base when a reload fails, and stops cleanly on SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { KNOWLEDGE_DIR, ROOT } from '../helpers/knowledge.js';

let dir: string;
let child: ChildProcess;
let base: string;
let output = '';

function waitFor(pattern: RegExp, ms = 15_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output:\n${output}`)), ms);
    const check = () => {
      const m = output.match(pattern);
      if (m) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve(m);
      }
    };
    child.stdout?.on('data', check);
    check();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hl-server-'));
  await cp(KNOWLEDGE_DIR, join(dir, 'knowledge'), { recursive: true, filter: (src) => !src.includes(`${join('knowledge', 'build')}`) });
  child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'server.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      KNOWLEDGE_DIR: join(dir, 'knowledge'),
      DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const m = await waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
  base = m[1] as string;
}, 30_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('the server process', () => {
  it('loads the knowledge base before it listens and answers /healthz', async () => {
    expect(output).toMatch(/"notices":5,"clauses":\d+,"facts":\d+,"skipped":0,"ms":\d+,"msg":"knowledge base loaded"/);
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('makes a notice dropped into the folder available on SIGHUP, with no restart', async () => {
    expect((await fetch(`${base}/notices/hohhot-2022-10-20`)).status).toBe(404);
    await writeFile(
      join(dir, 'knowledge', 'notices', 'hohhot-2022-10-20.txt'),
      '呼和浩特市医疗保障局关于疫情期间医保业务办理的通知\n一、医疗费用报销业务可推迟2个月办理。\n二、咨询电话：0471-1234567。\n呼和浩特市医疗保障局\n2022年10月20日\n',
    );
    child.kill('SIGHUP');
    await waitFor(/"notices":6[^\n]*knowledge reloaded \(SIGHUP\)/);
    const res = await fetch(`${base}/notices/hohhot-2022-10-20`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ region: '呼和浩特', date: '2022-10-20' });
  });

  it('keeps the old knowledge base serving when a SIGHUP reload fails, and logs why', async () => {
    await writeFile(join(dir, 'knowledge', 'regions.yaml'), 'version: 2\nregions: []\n');
    child.kill('SIGHUP');
    await waitFor(/HL_ERR_KB_RELOAD_FAILED[^\n]*knowledge reload failed \(SIGHUP\); previous knowledge base kept/);
    expect((await fetch(`${base}/notices/hohhot-2022-10-20`)).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('on SIGTERM tells chat clients to reconnect (1001) and exits cleanly', async () => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/ws/chat`);
    await new Promise((r) => socket.once('open', r));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await closed).toBe(1001);
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"stopped"');
  });
});
