/**
 * Soak (issue 12): the built service under a steady mix for a long time — `/api/ask` over the own set's
 * questions (sessions drawn from a pool, as returning citizens), `/ws/chat` conversations (connect, hello or
 * resume, three messages, ping, close) and agent consoles that take the chats handed to them, answer and
 * close them, one console reconnecting every minute. The process's RSS (/proc/PID/status VmRSS; the heap
 * too when /metrics exposes it) is sampled every `sampleSeconds`.
 * Pass: after the warm-up (the first 20% of the time), the mean RSS of the last fifth of the samples is at most
 * 10% above the mean of the first fifth after the warm-up (means over several samples, because a single
 * sample lands anywhere on the garbage collector's saw-tooth: ±10% within a minute with no growth at all);
 * and 0 errors — any non-2xx answer or failed request, any
 * error frame, a reply, ready or pong not there within 5 s, any connection the service closed unasked.
 *   tsx bench/reliability/soak.ts --minutes 30 [--sample-seconds 30] [--asks-per-second 10] [--chats-per-second 1]
 */
import type WebSocket from 'ws';
import { questions } from '../lib/server.js';
import { type CheckResult, Examples, type Figure, isMain, numberArg, runAsScript } from './lib/check.js';
import { type Entry, removeDir, startService, throwawayDir } from './lib/service.js';
import { quantile, Random, round, sleep } from './lib/stats.js';
import { closeSocket, frameReader, openSocket } from './lib/ws-client.js';

export interface SoakSizes {
  minutes: number;
  sampleSeconds?: number;
  asksPerSecond?: number;
  chatsPerSecond?: number;
  agents?: number;
  /** Share of the time that is warm-up; 0.2. */
  warmup?: number;
  /** Largest RSS rise after the warm-up that passes, in percent; 10. */
  maxGrowthPct?: number;
  entry?: Entry;
}

export interface SoakFigures {
  [k: string]: number | string | null;
  minutes: number;
  asks: number;
  askP50Ms: number;
  askP99Ms: number;
  chats: number;
  chatMessages: number;
  agentChatsClosed: number;
  agentReconnects: number;
  skipped: number;
  errors: number;
  rssStartMb: number;
  rssWarmMb: number;
  rssEarlyMeanMb: number;
  rssLateMeanMb: number;
  heapEarlyMeanMb: number;
  heapLateMeanMb: number;
  rssMaxAfterWarmMb: number;
  rssEndMb: number;
  rssGrowthPct: number;
  heapSource: string;
}

const ROW = ['t (s)', 'RSS MB', 'heap MB', 'answer cache MB', 'asks', 'chats', 'errors'];

export async function soak(sizes: SoakSizes): Promise<CheckResult<SoakFigures>> {
  const started = performance.now();
  const totalMs = sizes.minutes * 60_000;
  const sampleMs = (sizes.sampleSeconds ?? 30) * 1000;
  const warmupMs = totalMs * (sizes.warmup ?? 0.2);
  const maxGrowthPct = sizes.maxGrowthPct ?? 10;
  const askRate = sizes.asksPerSecond ?? 10;
  const chatRate = sizes.chatsPerSecond ?? 1;
  const agentCount = sizes.agents ?? 3;
  const tokens = Array.from({ length: agentCount }, (_, i) => `soak-agent-token-${String(i).padStart(6, '0')}`);
  const dataDir = await throwawayDir('soak');
  const service = await startService({
    entry: sizes.entry,
    dataDir,
    env: { AGENT_TOKENS: tokens.map((t, i) => `agent${i}:${t}`).join(','), RATE_LIMIT_MAX: '100000000' },
  });
  const qs = await questions();
  const rng = new Random(12);
  const examples = new Examples(16, 4);
  const f = { asks: 0, chats: 0, chatMessages: 0, agentChatsClosed: 0, agentReconnects: 0, skipped: 0, errors: 0 };
  const error = (key: string, detail: string) => {
    f.errors++;
    examples.add(key, () => detail, key.split(' ')[0]);
  };
  const askMs: number[] = [];
  const t0 = performance.now();
  const elapsed = () => performance.now() - t0;
  let ending = false;

  const ask = async () => {
    const body = { text: rng.pick(qs), sessionId: `soak-${rng.int(1, 500)}` };
    const start = performance.now();
    try {
      const res = await fetch(`${service.base}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      const text = await res.text();
      if (res.status !== 200) error(`ask ${res.status}`, text.slice(0, 200));
      else askMs.push(performance.now() - start);
    } catch (err) {
      error('ask failed', (err as Error).message);
    }
    f.asks++;
  };

  const resumable: { sessionId: string; resumeToken: string }[] = [];
  const chat = async () => {
    let socket: WebSocket | null = null;
    let weClose = false;
    try {
      socket = await openSocket(`${service.base.replace('http', 'ws')}/ws/chat`);
      socket.on('close', (code) => {
        if (!weClose) error(`chat closed ${code}`, 'by the service');
      });
      const frames = frameReader(socket);
      const resume = resumable.length > 20 && rng.chance(0.5) ? rng.pick(resumable) : null;
      socket.send(JSON.stringify({ type: 'hello', ...(resume ?? {}) }));
      const ready = await frames.next('ready');
      if (!resume) {
        resumable.push({ sessionId: ready.sessionId as string, resumeToken: ready.resumeToken as string });
        if (resumable.length > 200) resumable.shift();
      }
      for (let i = 0; i < 3; i++) {
        socket.send(JSON.stringify({ type: 'message', id: `m${i}`, text: rng.pick(qs) }));
        await frames.any(['reply', 'ack']);
        f.chatMessages++;
      }
      socket.send('{"type":"ping"}');
      await frames.next('pong');
      const bad = frames.queue.find((x) => x.type === 'error');
      if (bad) error(`chat error frame ${String(bad.code)}`, JSON.stringify(bad).slice(0, 200));
    } catch (err) {
      error('chat failed', (err as Error).message);
    } finally {
      weClose = true;
      if (socket) await closeSocket(socket);
    }
    f.chats++;
  };

  // Agents: each takes what is handed to it, answers and closes the chat a second later.
  const agents = tokens.map((token) => ({ token, socket: null as WebSocket | null, closing: new Set<string>() }));
  const connectAgent = async (a: (typeof agents)[number]) => {
    const socket = await openSocket(`${service.base.replace('http', 'ws')}/ws/agent`, { headers: { authorization: `Bearer ${a.token}` } });
    a.socket = socket;
    let weClose = false;
    socket.on('close', (code) => {
      if (!weClose && !ending) error(`agent closed ${code}`, 'by the service');
    });
    socket.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { type: string; sessionId?: string; code?: string };
      if (m.type === 'error') error(`agent error frame ${m.code}`, data.toString().slice(0, 200));
      // A session may come back for a person later: once its chat ended it is taken again.
      if (m.type === 'ended' && m.sessionId) a.closing.delete(m.sessionId);
      if (m.type !== 'chat' || !m.sessionId || a.closing.has(m.sessionId)) return;
      const sessionId = m.sessionId;
      a.closing.add(sessionId);
      setTimeout(() => {
        if (socket.readyState !== socket.OPEN) return a.closing.delete(sessionId);
        socket.send(JSON.stringify({ type: 'message', sessionId, text: '您好，已为您查询，请按通知办理。' }));
        socket.send(JSON.stringify({ type: 'close', sessionId, resolution: '已解答' }));
        f.agentChatsClosed++;
      }, 1000);
    });
    return () => {
      weClose = true;
      return closeSocket(socket);
    };
  };
  const closers = await Promise.all(agents.map(connectAgent));

  const samples: {
    t: number;
    rss: number;
    heap: number | null;
    answerMb: number | null;
    asks: number;
    chats: number;
    errors: number;
  }[] = [];
  let heapSource = 'not exposed by /metrics';
  const sample = async () => {
    const text = await fetch(`${service.base}/metrics`, { signal: AbortSignal.timeout(5000) }).then(
      (r) => r.text(),
      () => '',
    );
    const heap = heapFromMetrics(text);
    if (heap) heapSource = heap.name;
    const bytes = gauge(text, 'hl_cache_fill{figure="answer_bytes"}');
    samples.push({
      t: elapsed() / 1000,
      rss: await service.rssMb(),
      heap: heap?.mb ?? null,
      answerMb: bytes === null ? null : bytes / 2 ** 20,
      asks: f.asks,
      chats: f.chats,
      errors: f.errors,
    });
  };
  await sample();

  // The load: launched at steady rates, at most so many in flight (more is counted as skipped, not queued up).
  const inFlight = { asks: 0, chats: 0 };
  let launchedAsks = 0;
  let launchedChats = 0;
  let nextSample = sampleMs;
  let nextReconnect = 60_000;
  while (elapsed() < totalMs) {
    const t = elapsed();
    for (; launchedAsks < (t / 1000) * askRate; launchedAsks++) {
      if (inFlight.asks >= 32) f.skipped++;
      else {
        inFlight.asks++;
        void ask().finally(() => inFlight.asks--);
      }
    }
    for (; launchedChats < (t / 1000) * chatRate; launchedChats++) {
      if (inFlight.chats >= 16) f.skipped++;
      else {
        inFlight.chats++;
        void chat().finally(() => inFlight.chats--);
      }
    }
    if (t >= nextReconnect) {
      nextReconnect += 60_000;
      const i = f.agentReconnects % agents.length;
      await closers[i]?.();
      closers[i] = await connectAgent(agents[i] as (typeof agents)[number]);
      f.agentReconnects++;
    }
    if (t >= nextSample) {
      nextSample += sampleMs;
      await sample();
    }
    await sleep(50);
  }
  while (inFlight.asks + inFlight.chats > 0) await sleep(50);
  await sample();
  ending = true;
  await Promise.all(closers.map((c) => c()));
  const alive = service.alive();
  // Error lines in the service's log are errors of the soak too.
  for (const line of service.errorLines) error('log error', line);
  await service.stop();
  await removeDir(dataDir);

  const warm = samples.find((s) => s.t * 1000 >= warmupMs) ?? (samples.at(-1) as (typeof samples)[number]);
  const after = samples.filter((s) => s.t >= warm.t);
  const maxAfter = Math.max(...after.map((s) => s.rss));
  const fifth = Math.max(2, Math.floor(after.length / 5));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const early = mean(after.slice(0, fifth).map((s) => s.rss));
  const late = mean(after.slice(-fifth).map((s) => s.rss));
  const heaps = (xs: typeof after) => xs.flatMap((s) => (s.heap === null ? [] : [s.heap]));
  const growth = (100 * (late - early)) / early;
  const figures: SoakFigures = {
    minutes: sizes.minutes,
    ...f,
    askP50Ms: round(quantile(askMs, 0.5), 2),
    askP99Ms: round(quantile(askMs, 0.99), 2),
    rssStartMb: round(samples[0]?.rss ?? 0, 0),
    rssWarmMb: round(warm.rss, 0),
    rssEarlyMeanMb: round(early, 0),
    rssLateMeanMb: round(late, 0),
    heapEarlyMeanMb: round(mean(heaps(after.slice(0, fifth))), 0),
    heapLateMeanMb: round(mean(heaps(after.slice(-fifth))), 0),
    rssMaxAfterWarmMb: round(maxAfter, 0),
    rssEndMb: round(samples.at(-1)?.rss ?? 0, 0),
    rssGrowthPct: round(growth, 1),
    heapSource,
  };
  const reasons: string[] = [];
  if (growth > maxGrowthPct)
    reasons.push(
      `RSS rose ${growth.toFixed(1)}% after the warm-up (mean ${figures.rssEarlyMeanMb} → ${figures.rssLateMeanMb} MB; at most ${maxGrowthPct}%)`,
    );
  if (f.errors > 0) reasons.push(`${f.errors} errors`);
  if (!alive) reasons.push('the service exited');
  return {
    check: 'soak',
    pass: reasons.length === 0,
    reasons,
    sizes: {
      minutes: sizes.minutes,
      sampleSeconds: sampleMs / 1000,
      asksPerSecond: askRate,
      chatsPerSecond: chatRate,
      agents: agentCount,
      warmupMinutes: round(warmupMs / 60_000, 2),
      entry: sizes.entry ?? 'dist',
    },
    figures,
    examples: examples.list,
    series: {
      label: 'RSS and heap of the service, sampled',
      columns: ROW,
      rows: samples.map(
        (s) =>
          [
            round(s.t, 0),
            round(s.rss, 1),
            s.heap === null ? null : round(s.heap, 1),
            s.answerMb === null ? null : round(s.answerMb, 1),
            s.asks,
            s.chats,
            s.errors,
          ] as Figure[],
      ),
    },
    seconds: (performance.now() - started) / 1000,
  };
}

/** The heap used, from /metrics, when the service exports Node's process metrics (prom-client's defaults). */
function heapFromMetrics(text: string): { name: string; mb: number } | null {
  for (const name of ['nodejs_heap_size_used_bytes', 'process_heap_bytes']) {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([\\d.e+]+)`, 'm').exec(text);
    if (m?.[1]) return { name, mb: Number(m[1]) / 2 ** 20 };
  }
  return null;
}

/** One gauge's value from the /metrics text (its name with its labels exactly as exposed), or null. */
function gauge(text: string, series: string): number | null {
  const at = text.indexOf(`\n${series} `);
  if (at < 0) return null;
  const value = Number(text.slice(at + series.length + 2, text.indexOf('\n', at + 1)));
  return Number.isFinite(value) ? value : null;
}

if (isMain(import.meta.url)) {
  await runAsScript(async (args) =>
    soak({
      minutes: numberArg(args, 'minutes', 30),
      sampleSeconds: numberArg(args, 'sample-seconds', 30),
      asksPerSecond: numberArg(args, 'asks-per-second', 10),
      chatsPerSecond: numberArg(args, 'chats-per-second', 1),
      agents: numberArg(args, 'agents', 3),
      entry: (args.get('entry') as Entry | undefined) ?? 'dist',
    }),
  );
}
