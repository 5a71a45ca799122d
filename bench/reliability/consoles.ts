/**
 * Agent consoles that come and go (issue 12, defect 1: each closed console stayed registered, ≈11 KB
 * kept per connect/close): connect/close cycles on `/ws/agent` with a real `ws` client against the app
 * in this process, and the same on `/ws/chat` as a control. Afterwards nothing may stay registered
 * (`hl_agent_consoles` and `hl_open_sockets` on /metrics back to 0); with `heap`, the heap used after a
 * forced GC at the end must be within 5% of the one after the warm-up. Client and server share this
 * process's heap, so a leak on either side shows.
 *   node --expose-gc --import tsx bench/reliability/consoles.ts --cycles 6000 [--warmup 500]
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { buildApp, buildAssistant } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildFromDir } from '../../src/kb/load.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { ROOT } from '../lib/server.js';
import { type CheckResult, isMain, numberArg, runAsScript } from './lib/check.js';
import { removeDir, throwawayDir } from './lib/service.js';
import { round, sleep } from './lib/stats.js';

export interface ConsolesSizes {
  cycles: number;
  /** Cycles before the first heap reading. */
  warmup?: number;
  /** Measure the heap (needs `node --expose-gc`); off in `npm test`, where heap is not asserted. */
  heap: boolean;
  /** Largest heap growth from the warm-up to the end that passes, in percent; 5. */
  maxGrowthPct?: number;
}

type Figures = Record<string, number | null>;

const TOKEN = 'consoles-agent-token-0001';

export async function consoles(sizes: ConsolesSizes): Promise<CheckResult<Figures>> {
  const started = performance.now();
  const gc = (globalThis as { gc?: () => void }).gc;
  if (sizes.heap && !gc) throw new Error('measuring the heap needs node --expose-gc');
  const warmup = sizes.warmup ?? 500;
  const maxGrowthPct = sizes.maxGrowthPct ?? 5;
  const dataDir = await throwawayDir('consoles');
  const app = await inProcessApp(dataDir);
  const port = Number(new URL(await app.listen({ host: '127.0.0.1', port: 0 })).port);

  const figures: Figures = {};
  const reasons: string[] = [];
  const channels: { name: string; url: string; headers: Record<string, string>; until: string; hello?: boolean }[] = [
    { name: 'agent', url: `ws://127.0.0.1:${port}/ws/agent`, headers: { authorization: `Bearer ${TOKEN}` }, until: 'queue' },
    { name: 'chat', url: `ws://127.0.0.1:${port}/ws/chat`, headers: {}, hello: true, until: 'ready' },
  ];
  for (const ch of channels) {
    const run = (n: number) => cycles(n, ch.url, ch.headers, ch.until, ch.hello ?? false);
    await run(sizes.heap ? warmup : 0);
    const before = sizes.heap ? await heapAfterGc(gc as () => void) : null;
    const t0 = performance.now();
    await run(sizes.cycles);
    const ms = (performance.now() - t0) / sizes.cycles;
    const after = sizes.heap ? await heapAfterGc(gc as () => void) : null;
    const left = await settledGauges(app, ch.name);
    figures[`${ch.name}Cycles`] = sizes.cycles;
    figures[`${ch.name}MsPerCycle`] = round(ms, 2);
    figures[`${ch.name}OpenSocketsAfter`] = left.sockets;
    if (ch.name === 'agent') figures.agentConsolesAfter = left.consoles;
    if (before !== null && after !== null) {
      const growth = (100 * (after - before)) / before;
      figures[`${ch.name}HeapStartMb`] = round(before / 2 ** 20, 2);
      figures[`${ch.name}HeapEndMb`] = round(after / 2 ** 20, 2);
      figures[`${ch.name}HeapGrowthPct`] = round(growth, 2);
      figures[`${ch.name}BytesPerCycle`] = round((after - before) / sizes.cycles, 0);
      if (growth > maxGrowthPct)
        reasons.push(`/ws/${ch.name}: heap grew ${growth.toFixed(1)}% over ${sizes.cycles} cycles (at most ${maxGrowthPct}% passes)`);
    }
    if (left.sockets !== 0) reasons.push(`/ws/${ch.name}: hl_open_sockets is ${left.sockets} after every socket closed`);
    if (ch.name === 'agent' && left.consoles !== 0) reasons.push(`hl_agent_consoles is ${left.consoles} after every console closed`);
  }
  await app.close();
  await removeDir(dataDir);
  return {
    check: 'consoles',
    pass: reasons.length === 0,
    reasons,
    sizes: { cycles: sizes.cycles, warmup: sizes.heap ? warmup : 0, heap: sizes.heap, maxGrowthPct },
    figures,
    examples: [],
    seconds: (performance.now() - started) / 1000,
  };
}

/** The app as src/server.ts builds it (in memory store), on the project's knowledge. */
async function inProcessApp(dataDir: string): Promise<FastifyInstance> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: join(ROOT, 'knowledge'),
    INTENTS_DIR: join(ROOT, 'intents'),
    WIDGET_FILE: join(ROOT, 'dist', 'public', 'widget.js'),
    AGENT_TOKENS: `watcher:${TOKEN}`,
    STORE: 'memory',
    RATE_LIMIT_MAX: '100000000',
  });
  const assistant = await buildAssistant(config);
  const knowledge = new KnowledgeStore(async () => {
    const kb = await buildFromDir(config.knowledgeDir);
    assistant.prepare(kb);
    return kb;
  });
  const loaded = await knowledge.reload();
  if (!loaded.ok) throw loaded.error;
  return buildApp({ config, knowledge, assistant, logger: false });
}

/** `n` connect/close cycles one after another: open, (hello,) wait for the `until` frame, close, wait for the close. */
async function cycles(n: number, url: string, headers: Record<string, string>, until: string, hello: boolean): Promise<void> {
  for (let i = 0; i < n; i++) {
    const socket = new WebSocket(url, { headers });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('open', () => {
        if (hello) socket.send('{"type":"hello"}');
      });
      socket.on('message', (data) => {
        if ((JSON.parse(data.toString()) as { type: string }).type === until) resolve();
      });
    });
    const closed = new Promise((r) => socket.once('close', r));
    socket.close(1000);
    await closed;
  }
}

async function heapAfterGc(gc: () => void): Promise<number> {
  for (let i = 0; i < 4; i++) {
    await sleep(50);
    gc();
  }
  return process.memoryUsage().heapUsed;
}

/** The registry's gauges once the server has seen every close (up to 3 s). */
async function settledGauges(app: FastifyInstance, channel: string): Promise<{ sockets: number; consoles: number }> {
  let last = { sockets: -1, consoles: -1 };
  for (let i = 0; i < 30; i++) {
    const text = (await app.inject({ url: '/metrics' })).body;
    last = {
      sockets: Number(
        new RegExp(`^hl_open_sockets\\{channel="${channel === 'chat' ? 'web' : channel}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0,
      ),
      consoles: Number(/^hl_agent_consoles (\d+)/m.exec(text)?.[1] ?? 0),
    };
    if (last.sockets === 0 && last.consoles === 0) return last;
    await sleep(100);
  }
  return last;
}

if (isMain(import.meta.url)) {
  await runAsScript(async (args) =>
    consoles({ cycles: numberArg(args, 'cycles', 6000), warmup: numberArg(args, 'warmup', 500), heap: args.get('heap') !== 'false' }),
  );
}
