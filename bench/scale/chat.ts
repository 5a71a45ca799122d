/**
 * (2) WebSocket chat: N sockets to `/ws/chat`, split evenly across the instances given, each says hello and waits for
 * `ready`; then either a fixed total rate (messages to the sockets in turn) or the most they get through (each
 * socket sends its next message when the reply to the last arrives). Round trip: a message's send to its `reply`.
 */
import WebSocket from 'ws';
import { quantile, sleep } from '../reliability/lib/stats.js';

export interface ChatFigures {
  sent: number;
  answered: number;
  /** Replies per second over the measured window. */
  rate: number;
  p50: number;
  p99: number;
  errors: number;
  /** Sent and not answered by the end of the drain after the window. */
  unanswered: number;
}

/** Handshakes under way at once. */
const OPENING = 100;
/** After the window, how long answers still in flight are waited for (so the next phase starts on an idle service). */
const DRAIN_MS = 20_000;

interface Frame {
  type: string;
  replyTo?: string;
}

async function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { handshakeTimeout: 30_000 });
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('message', (data) => {
      const f = JSON.parse(data.toString()) as Frame;
      if (f.type === 'ready') resolve();
      else reject(new Error(`expected ready, got ${f.type}`));
    });
    ws.once('open', () => ws.send('{"type":"hello"}'));
  });
  return ws;
}

/** `count` sockets, socket i to `bases[i % bases.length]`. */
export async function openSockets(bases: readonly string[], count: number): Promise<WebSocket[]> {
  const urls = bases.map((b) => `${b.replace('http', 'ws')}/ws/chat`);
  const all: WebSocket[] = [];
  for (let i = 0; i < count; i += OPENING) {
    const n = Math.min(OPENING, count - i);
    all.push(...(await Promise.all(Array.from({ length: n }, (_, k) => open(urls[(i + k) % urls.length] as string)))));
  }
  return all;
}

export function closeSockets(sockets: readonly WebSocket[]): void {
  for (const s of sockets) s.terminate();
}

/** Listens on every socket: the round trip of each answered message, errors counted. */
function listen(sockets: readonly WebSocket[], onReply?: (socket: number) => void) {
  const sent = new Map<string, number>();
  const rtts: number[] = [];
  const answeredAt: number[] = [];
  const state = { errors: 0 };
  for (const [i, ws] of sockets.entries()) {
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as Frame;
      if ((f.type === 'reply' || f.type === 'ack') && f.replyTo) {
        const t0 = sent.get(f.replyTo);
        if (t0 === undefined) return;
        const now = performance.now();
        sent.delete(f.replyTo);
        rtts.push(now - t0);
        answeredAt.push(now);
        onReply?.(i);
      } else if (f.type === 'error') state.errors++;
    });
    ws.on('error', () => state.errors++);
  }
  /** Waits for what is in flight (at most DRAIN_MS), then stops listening. */
  const stop = async () => {
    const until = performance.now() + DRAIN_MS;
    while (sent.size > 0 && performance.now() < until) await sleep(50);
    for (const ws of sockets) ws.removeAllListeners('message');
  };
  return { sent, rtts, answeredAt, state, stop };
}

function figures(l: ReturnType<typeof listen>, sentCount: number, start: number, seconds: number): ChatFigures {
  const end = start + seconds * 1000;
  const inWindow = l.answeredAt.filter((t) => t <= end).length;
  return {
    sent: sentCount,
    answered: l.rtts.length,
    rate: inWindow / seconds,
    p50: quantile(l.rtts, 0.5),
    p99: quantile(l.rtts, 0.99),
    errors: l.state.errors,
    unanswered: l.sent.size,
  };
}

/** Messages at `rate` a second in all, for `seconds`, to the sockets in turn; then the last answers waited for. */
export async function fixedRate(
  sockets: readonly WebSocket[],
  qs: readonly string[],
  rate: number,
  seconds: number,
  tag: string,
): Promise<ChatFigures> {
  const l = listen(sockets);
  let n = 0;
  const interval = 1000 / rate;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    const due = Math.floor((performance.now() - start) / interval);
    while (n < due) {
      const id = `${tag}${n}`;
      l.sent.set(id, performance.now());
      (sockets[n % sockets.length] as WebSocket).send(JSON.stringify({ type: 'message', id, text: qs[n % qs.length] }));
      n++;
    }
    await sleep(2);
  }
  await l.stop();
  return figures(l, n, start, seconds);
}

/** Each socket sends its next message when the reply to the last arrives, for `seconds`; then the last answers waited for. */
export async function closedLoop(sockets: readonly WebSocket[], qs: readonly string[], seconds: number, tag: string): Promise<ChatFigures> {
  let n = 0;
  let open = true;
  const send = (i: number) => {
    const id = `${tag}${n}`;
    l.sent.set(id, performance.now());
    (sockets[i] as WebSocket).send(JSON.stringify({ type: 'message', id, text: qs[n % qs.length] }));
    n++;
  };
  const l = listen(sockets, (i) => {
    if (open) send(i);
  });
  const start = performance.now();
  for (let i = 0; i < sockets.length; i++) send(i);
  await sleep(seconds * 1000);
  open = false;
  await l.stop();
  return figures(l, n, start, seconds);
}
