/**
 * Handoff flood (issue 12): one agent online and at capacity, then thousands of `/ws/chat` sockets, spread
 * over loopback source addresses in blocks a little larger than the per-address cap, each send
 * `{"type":"handoff"}`. The queue must stay within HANDOFF_QUEUE_MAX overall and HANDOFF_QUEUE_PER_ADDRESS
 * per address; every session refused must be told so (a `handoff` frame `unavailable` with reason
 * `queue-full` and code HL_ERR_QUEUE_FULL, the hotline and the callback offer); `/api/ask` must keep its pace
 * with the flood standing — every socket open, the queue at its cap, as the issue measured it (3,000 queued:
 * p50 2.2 → 19.9 ms) — p50 within 1.5× of idle; the p50 while the sockets are still connecting (the storm, which
 * shares the two cores with this client's 3,000 handshakes) is reported beside it, not judged (the same
 * questions asked one at a time). Also measured: enqueue latency, bytes the agent's console received
 * during the flood, the longest queue the agent was shown (`total` of its `queue` frames, or their items).
 *   tsx bench/reliability/flood.ts --sockets 3000 [--queue-max 200] [--per-address 10] [--asks 200]
 */
import type WebSocket from 'ws';
import { questions } from '../lib/server.js';
import { type CheckResult, Examples, isMain, numberArg, runAsScript } from './lib/check.js';
import { type Entry, removeDir, type Service, startService, throwawayDir } from './lib/service.js';
import { loopback, quantile, round, sleep } from './lib/stats.js';
import { frameReader, openSocket } from './lib/ws-client.js';

export interface FloodSizes {
  sockets: number;
  /** HANDOFF_QUEUE_MAX given to the service; 200. */
  queueMax?: number;
  /** HANDOFF_QUEUE_PER_ADDRESS given to the service; 10. */
  perAddress?: number;
  /** `/api/ask` requests idle and under the flood; 200 each. */
  asks?: number;
  /** Give up waiting for answers to the handoffs after this long; 120 s. */
  deadlineMs?: number;
  /**
   * Whether the ask latency under the flood is a condition of passing (true); `npm test` measures it but
   * does not assert it (no timing assertions in the unit tests).
   */
  latency?: boolean;
  entry?: Entry;
}

export interface FloodFigures {
  [k: string]: number | string | null;
  sockets: number;
  opened: number;
  queued: number;
  refused: number;
  refusedWithCode: number;
  refusedWithoutCode: number;
  refusedWithoutUnavailable: number;
  unanswered: number;
  otherErrors: number;
  maxQueueShown: number;
  maxQueuedPerAddress: number;
  enqueueP50Ms: number | null;
  enqueueP99Ms: number | null;
  agentBytesDuringFlood: number;
  agentQueueFrames: number;
  askIdleP50Ms: number;
  askIdleP99Ms: number;
  askFloodP50Ms: number;
  askFloodP99Ms: number;
  askRatioP50: number;
  /** The same asks while the 3,000 sockets are still connecting and asking (reported, not judged). */
  askStormP50Ms: number;
  askStormRatioP50: number;
  floodSeconds: number;
  rssAfterMb: number;
}

const TOKEN = 'flood-agent-token-000001';

/** How one flooding session ended up. */
interface Session {
  address: string;
  sentAt: number;
  queuedMs: number | null;
  unavailable: boolean;
  queueFull: boolean;
  assigned: boolean;
  errors: string[];
}

export async function flood(sizes: FloodSizes): Promise<CheckResult<FloodFigures>> {
  const started = performance.now();
  const queueMax = sizes.queueMax ?? 200;
  const perAddress = sizes.perAddress ?? 10;
  const askCount = sizes.asks ?? 200;
  const deadlineMs = sizes.deadlineMs ?? 120_000;
  const dataDir = await throwawayDir('flood');
  const service = await startService({
    entry: sizes.entry,
    dataDir,
    env: {
      AGENT_TOKENS: `desk:${TOKEN}`,
      AGENT_CAPACITY: '1',
      HANDOFF_QUEUE_MAX: String(queueMax),
      HANDOFF_QUEUE_PER_ADDRESS: String(perAddress),
      HANDOFF_WAIT_LIMIT_MS: '3600000',
      RATE_LIMIT_MAX: '100000000',
    },
  });
  const wsBase = service.base.replace('http', 'ws');
  const examples = new Examples(12, 3);

  // The question mix: the own set's questions the bot answers (a handoff reply would join the queue too),
  // asked once with no agent online so the answer cache is as warm for the idle run as for the flooded one.
  const mix: string[] = [];
  for (const q of await questions()) {
    if (mix.length >= askCount) break;
    const r = await ask(service, q);
    if (r.type !== 'handoff') mix.push(q);
  }

  // The agent: online, holding one chat, so every other handoff queues.
  const agent = await openSocket(`${wsBase}/ws/agent`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const queueWatch = watchQueue(agent);
  const holder = await openSocket(`${wsBase}/ws/chat`);
  const holderFrames = frameReader(holder);
  holder.send('{"type":"handoff"}');
  // queued, then assigned at once
  for (let event = ''; event !== 'assigned'; ) event = String((await holderFrames.next('handoff', 5000)).event);

  const idle = await askAll(service, mix);

  // The flood.
  const bytesBefore = queueWatch.bytes;
  const framesBefore = queueWatch.frames;
  queueWatch.max = 0;
  const floodStart = performance.now();
  const sessions: Session[] = [];
  const sockets: WebSocket[] = [];
  const block = perAddress + 2;
  let opened = 0;
  const openOne = async (i: number) => {
    const s: Session = {
      address: loopback(Math.floor(i / block)),
      sentAt: 0,
      queuedMs: null,
      unavailable: false,
      queueFull: false,
      assigned: false,
      errors: [],
    };
    sessions.push(s);
    try {
      const socket = await openSocket(`${wsBase}/ws/chat`, { localAddress: s.address, timeoutMs: 30_000 });
      sockets.push(socket);
      opened++;
      socket.on('message', (data) => {
        let f: { type?: string; event?: string; code?: string };
        try {
          f = JSON.parse(data.toString());
        } catch {
          s.errors.push('a frame that is not JSON');
          return;
        }
        if (f.type === 'handoff' && f.event === 'queued') s.queuedMs ??= performance.now() - s.sentAt;
        else if (f.type === 'handoff' && f.event === 'unavailable') {
          s.unavailable = true;
          if (f.code === 'HL_ERR_QUEUE_FULL') s.queueFull = true;
        } else if (f.type === 'handoff' && f.event === 'assigned') s.assigned = true;
        else if (f.type === 'error' && f.code === 'HL_ERR_QUEUE_FULL') s.queueFull = true;
        else if (f.type === 'error') s.errors.push(String(f.code));
      });
      s.sentAt = performance.now();
      socket.send('{"type":"handoff"}');
    } catch (err) {
      s.errors.push(`open: ${(err as Error).message}`);
    }
  };
  const floodAsks = (async () => {
    await sleep(50);
    return askAll(service, mix);
  })();
  // Handshakes in flight at once: at most 200.
  let next = 0;
  await Promise.all(
    Array.from({ length: 200 }, async () => {
      while (next < sizes.sockets && performance.now() - floodStart < deadlineMs) await openOne(next++);
    }),
  );
  const answered = (s: Session) => s.queuedMs !== null || s.assigned || s.queueFull || s.errors.length > 0;
  while (sessions.some((s) => !answered(s)) && performance.now() - floodStart < deadlineMs) await sleep(100);
  await sleep(500);
  const floodSeconds = (performance.now() - floodStart) / 1000;
  const storm = await floodAsks;
  // The flood standing: every socket open, the queue at its cap.
  const flooded = await askAll(service, mix);
  const agentBytes = queueWatch.bytes - bytesBefore;
  const rssAfter = await service.rssMb();
  for (const s of [agent, holder, ...sockets]) s.terminate();
  await service.stop();
  await removeDir(dataDir);

  const queuedPer = new Map<string, number>();
  for (const s of sessions) if (s.queuedMs !== null) queuedPer.set(s.address, (queuedPer.get(s.address) ?? 0) + 1);
  const enqueue = sessions.flatMap((s) => (s.queuedMs === null ? [] : [s.queuedMs]));
  const refused = sessions.filter((s) => s.unavailable || s.queueFull);
  const f: FloodFigures = {
    sockets: sizes.sockets,
    opened,
    queued: enqueue.length,
    refused: refused.length,
    refusedWithCode: refused.filter((s) => s.queueFull).length,
    refusedWithoutCode: refused.filter((s) => !s.queueFull).length,
    refusedWithoutUnavailable: refused.filter((s) => !s.unavailable).length,
    unanswered: sessions.filter((s) => !answered(s)).length + (sizes.sockets - sessions.length),
    otherErrors: sessions.filter((s) => s.errors.length > 0).length,
    maxQueueShown: queueWatch.max,
    maxQueuedPerAddress: Math.max(0, ...queuedPer.values()),
    enqueueP50Ms: enqueue.length ? round(quantile(enqueue, 0.5), 1) : null,
    enqueueP99Ms: enqueue.length ? round(quantile(enqueue, 0.99), 1) : null,
    agentBytesDuringFlood: agentBytes,
    agentQueueFrames: queueWatch.frames - framesBefore,
    askIdleP50Ms: round(quantile(idle, 0.5), 2),
    askIdleP99Ms: round(quantile(idle, 0.99), 2),
    askFloodP50Ms: round(quantile(flooded, 0.5), 2),
    askFloodP99Ms: round(quantile(flooded, 0.99), 2),
    askRatioP50: round(quantile(flooded, 0.5) / quantile(idle, 0.5), 2),
    askStormP50Ms: round(quantile(storm, 0.5), 2),
    askStormRatioP50: round(quantile(storm, 0.5) / quantile(idle, 0.5), 2),
    floodSeconds: round(floodSeconds, 1),
    rssAfterMb: round(rssAfter, 0),
  };
  for (const s of sessions.filter((x) => x.errors.length > 0)) examples.add(`error ${s.errors[0]}`, () => s.address, 'error');
  const reasons: string[] = [];
  if (f.maxQueueShown > queueMax) reasons.push(`the agent was shown a queue of ${f.maxQueueShown} (HANDOFF_QUEUE_MAX ${queueMax})`);
  if (f.queued > queueMax) reasons.push(`${f.queued} sessions were told they are queued (HANDOFF_QUEUE_MAX ${queueMax})`);
  if (f.maxQueuedPerAddress > perAddress)
    reasons.push(`${f.maxQueuedPerAddress} sessions queued from one address (HANDOFF_QUEUE_PER_ADDRESS ${perAddress})`);
  if (f.refusedWithoutCode > 0) reasons.push(`${f.refusedWithoutCode} refused sessions got no HL_ERR_QUEUE_FULL`);
  if (f.unanswered > 0) reasons.push(`${f.unanswered} sessions neither queued nor refused within ${deadlineMs / 1000} s`);
  if ((sizes.latency ?? true) && f.askRatioP50 > 1.5) reasons.push(`/api/ask p50 under the flood is ${f.askRatioP50}× idle (at most 1.5×)`);
  return {
    check: 'flood',
    pass: reasons.length === 0,
    reasons,
    sizes: {
      sockets: sizes.sockets,
      queueMax,
      perAddress,
      asks: mix.length,
      deadlineMs,
      latency: sizes.latency ?? true,
      entry: sizes.entry ?? 'dist',
    },
    figures: f,
    examples: examples.list,
    seconds: (performance.now() - started) / 1000,
  };
}

async function ask(service: Service, text: string): Promise<{ type: string; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${service.base}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  const body = (await res.json()) as { type?: string };
  if (!res.ok) throw new Error(`/api/ask answered ${res.status}: ${JSON.stringify(body)}`);
  return { type: body.type ?? '', ms: performance.now() - t0 };
}

/** The questions asked one at a time; their latencies. */
async function askAll(service: Service, mix: readonly string[]): Promise<number[]> {
  const ms: number[] = [];
  for (const q of mix) ms.push((await ask(service, q)).ms);
  return ms;
}

/**
 * Counts what an agent's console receives and the longest queue it is shown: a `queue` frame's `total`,
 * or (before the total existed) its items, counted without parsing frames that may be megabytes long.
 */
function watchQueue(agent: WebSocket) {
  const w = { bytes: 0, frames: 0, max: 0 };
  const sessionKey = Buffer.from('"sessionId":');
  agent.on('message', (data: Buffer) => {
    w.bytes += data.length;
    if (!data.subarray(0, 20).toString().includes('"type":"queue"')) return;
    w.frames++;
    const at = data.lastIndexOf('"total":');
    let n = 0;
    if (at >= 0) n = Number.parseInt(data.subarray(at + 8, at + 20).toString(), 10);
    else for (let i = data.indexOf(sessionKey); i >= 0; i = data.indexOf(sessionKey, i + 1)) n++;
    w.max = Math.max(w.max, n);
  });
  return w;
}

if (isMain(import.meta.url)) {
  await runAsScript(async (args) =>
    flood({
      sockets: numberArg(args, 'sockets', 3000),
      queueMax: numberArg(args, 'queue-max', 200),
      perAddress: numberArg(args, 'per-address', 10),
      asks: numberArg(args, 'asks', 200),
      deadlineMs: numberArg(args, 'deadline-ms', 120_000),
      entry: (args.get('entry') as Entry | undefined) ?? 'dist',
    }),
  );
}
