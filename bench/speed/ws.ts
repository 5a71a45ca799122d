/**
 * (c) WebSocket: 5,000 sockets to `/ws/chat` (spread over loopback source addresses), each says hello and
 * waits for `ready`; then messages (the own set's questions in turn, sockets in turn) at 1,000 a second in
 * all for 20 s, answer cache off, on a fresh service that has answered nothing before. Round trip from a
 * message's send to its `reply` (or `ack`), over the whole run, and per second for the first five seconds.
 */
import { readFile } from 'node:fs/promises';
import WebSocket from 'ws';
import { questions } from '../lib/server.js';
import { showSpread, spread } from '../lib/spread.js';
import { loopback, quantile } from '../reliability/lib/stats.js';
import { type Context, provenance } from './context.js';
import type { Section } from './results.js';
import { dataDirWithCache, removeDir, startService } from './service.js';

/** Sockets per loopback source address. */
const PER_ADDRESS = 250;
/** Handshakes under way at once while connecting. */
const OPENING = 200;
/** Seconds reported one by one. */
const FIRST_SECONDS = 5;

interface Run {
  sent: number;
  answered: number;
  unanswered: number;
  errors: number;
  connectS: number;
  p50: number;
  p99: number;
  max: number;
  windows: number[];
  rssConnected: number;
  rssAfter: number;
}

async function connect(url: string, i: number): Promise<WebSocket> {
  const ws = new WebSocket(url, { localAddress: loopback(Math.floor(i / PER_ADDRESS)), handshakeTimeout: 30_000 });
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('message', (data) => {
      const f = JSON.parse(data.toString()) as { type: string };
      if (f.type === 'ready') resolve();
      else reject(new Error(`expected ready, got ${f.type}`));
    });
    ws.once('open', () => ws.send('{"type":"hello"}'));
  });
  return ws;
}

async function once(sockets: number, rate: number, seconds: number, qs: string[]): Promise<Run> {
  const dataDir = await dataDirWithCache();
  const service = await startService({ dataDir, env: { RATE_LIMIT_MAX: '100000000', ANSWER_CACHE_MAX: '0' } });
  const url = `${service.base.replace('http', 'ws')}/ws/chat`;
  const all: WebSocket[] = [];
  try {
    const c0 = performance.now();
    for (let i = 0; i < sockets; i += OPENING) {
      const batch = await Promise.all(Array.from({ length: Math.min(OPENING, sockets - i) }, (_, k) => connect(url, i + k)));
      all.push(...batch);
    }
    const connectS = (performance.now() - c0) / 1000;
    const rssConnected = await service.rssMb();

    const sentAt = new Map<string, number>();
    const rtts: number[] = [];
    const windows: number[][] = Array.from({ length: FIRST_SECONDS }, () => []);
    let errors = 0;
    let start = 0;
    for (const ws of all) {
      ws.on('message', (data) => {
        const f = JSON.parse(data.toString()) as { type: string; replyTo?: string };
        if (f.type === 'error') errors++;
        if ((f.type !== 'reply' && f.type !== 'ack') || !f.replyTo) return;
        const t0 = sentAt.get(f.replyTo);
        if (t0 === undefined) return;
        sentAt.delete(f.replyTo);
        const rtt = performance.now() - t0;
        rtts.push(rtt);
        const w = Math.floor((t0 - start) / 1000);
        if (w < FIRST_SECONDS) windows[w]?.push(rtt);
      });
      ws.on('error', () => errors++);
    }

    let n = 0;
    start = performance.now();
    const interval = 1000 / rate;
    while (performance.now() - start < seconds * 1000) {
      const due = Math.floor((performance.now() - start) / interval);
      for (; n < due; n++) {
        const id = `m${n}`;
        sentAt.set(id, performance.now());
        (all[n % sockets] as WebSocket).send(JSON.stringify({ type: 'message', id, text: qs[n % qs.length] }));
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    const drain = performance.now();
    while (sentAt.size > 0 && performance.now() - drain < 10_000) await new Promise((r) => setTimeout(r, 20));
    const rssAfter = await service.rssMb();
    return {
      sent: n,
      answered: rtts.length,
      unanswered: sentAt.size,
      errors,
      connectS,
      p50: quantile(rtts, 0.5),
      p99: quantile(rtts, 0.99),
      max: quantile(rtts, 1),
      windows: windows.map((w) => quantile(w, 0.99)),
      rssConnected,
      rssAfter,
    };
  } finally {
    for (const ws of all) ws.terminate();
    await service.stop();
    await removeDir(dataDir);
  }
}

/** The soft limit on open files this process (and the service it spawns) has. */
async function openFileLimit(): Promise<number> {
  const limits = await readFile('/proc/self/limits', 'utf8').catch(() => '');
  const soft = /Max open files\s+(\S+)/.exec(limits)?.[1];
  return soft === undefined || soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
}

export async function webSocket(ctx: Context): Promise<Section> {
  const sockets = ctx.quick ? 1000 : 5000;
  const limit = await openFileLimit();
  if (limit < sockets + 1000) {
    throw new Error(
      `${sockets} sockets need more open files than \`ulimit -n\` allows (${limit}): raise it (ulimit -n 20000) and run again`,
    );
  }
  const rate = 1000;
  const seconds = ctx.quick ? 5 : 20;
  const qs = await questions();
  const runs: Run[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    const r = await once(sockets, rate, seconds, qs);
    runs.push(r);
    ctx.log(
      `  (c) run ${i + 1}: ${sockets} sockets connected in ${r.connectS.toFixed(1)} s; ${r.sent} sent, ${r.answered} answered, ${r.unanswered} unanswered, ${r.errors} errors; RTT p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(0)} ms; p99 by second ${r.windows.map((w) => w.toFixed(1)).join(' ')} ms; RSS ${r.rssConnected.toFixed(0)} → ${r.rssAfter.toFixed(0)} MB`,
    );
  }
  const s = (f: (r: Run) => number, d = 1) => showSpread(spread(runs.map(f)), d);
  const windowRows = Array.from({ length: FIRST_SECONDS }, (_, w) => `| ${w}–${w + 1} s | ${s((r) => r.windows[w] ?? Number.NaN)} |`).join(
    '\n',
  );
  return {
    key: 'c',
    markdown: `## (c) WebSocket: ${sockets.toLocaleString('en')} sockets, ${rate.toLocaleString('en')} messages/s for ${seconds} s, cache off

${provenance(ctx)}

Per run a fresh service (answer cache off, \`ANSWER_CACHE_MAX=0\`; RATE_LIMIT_MAX raised for the upgrades; the
WebSocket limits as default) that has answered nothing before. ${sockets.toLocaleString('en')} sockets to \`/ws/chat\` from the bench
process, ${PER_ADDRESS} per loopback source address (127.0.0.2 …), ${OPENING} handshakes at a time; each sends
\`{"type":"hello"}\` and waits for \`ready\`. Then \`message\` frames, the own set's questions in turn and the sockets in
turn, paced at ${rate.toLocaleString('en')} a second in all for ${seconds} s (sent from a 1 ms timer). RTT: from a message's send to its
\`reply\` (or \`ack\`) frame, every message of the run counted, the first seconds included.

| figure | min / median / max of ${ctx.runs} runs |
|---|---|
| **RTT p99, whole run, ms** (target < 20) | **${s((r) => r.p99)}** |
| RTT p50, whole run, ms | ${s((r) => r.p50)} |
| RTT max, ms | ${s((r) => r.max, 0)} |
| messages sent | ${s((r) => r.sent, 0)} |
| answered | ${s((r) => r.answered, 0)} |
| unanswered 10 s after the last send | ${s((r) => r.unanswered, 0)} |
| error frames and socket errors | ${s((r) => r.errors, 0)} |
| connecting all sockets (hello → ready), s | ${s((r) => r.connectS)} |
| service RSS with all sockets open, MB | ${s((r) => r.rssConnected, 0)} |
| service RSS after the run, MB | ${s((r) => r.rssAfter, 0)} |

RTT p99 of the messages sent in each of the first ${FIRST_SECONDS} seconds, ms:

| second | min / median / max of ${ctx.runs} runs |
|---|---|
${windowRows}
`,
  };
}
