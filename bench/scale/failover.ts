/**
 * (4) Failover: citizens chat through the balancer over `/ws/chat` with two instances behind it (hello, then a message
 * every ~200 ms, each waiting for its `reply` or `ack`); one instance is killed with SIGKILL mid-run. A citizen whose
 * socket closes reconnects through the balancer with its sessionId and resumeToken and carries on. Afterwards every
 * acknowledged message's user line is looked for in the run's `transcript` table.
 */
import WebSocket from 'ws';
import { questions } from '../lib/server.js';
import { quantile, sleep } from '../reliability/lib/stats.js';
import { type Instance, type Run, startBalancer, startPair, stopAll, userLines } from './cluster.js';

export interface FailoverFigures {
  citizens: number;
  /** Citizens whose socket closed after the kill. */
  affected: number;
  /** Of those, ready again on the same session. */
  resumed: number;
  /** Milliseconds from SIGKILL to an affected citizen's `ready`. */
  readyP50: number;
  readyMax: number;
  ackedBefore: number;
  ackedAfter: number;
  /** Acknowledged messages whose user line is not in the transcript. */
  lost: number;
  /** Sent, and the socket closed before an answer: the citizen was never told they arrived. */
  unacknowledged: number;
  /** Of those, found in the transcript anyway. */
  unacknowledgedKept: number;
  errors: number;
  /** Messages the balancer could not place (a reconnect refused), retried. */
  reconnectFailures: number;
}

/** How long a citizen waits for a message's answer. */
const ANSWER_WITHIN_MS = 10_000;

interface Frame {
  type: string;
  replyTo?: string;
  sessionId?: string;
  resumeToken?: string;
}

interface Sent {
  session: string;
  text: string;
  at: number;
}

class Citizen {
  ws: WebSocket | null = null;
  session = '';
  token = '';
  acked: Sent[] = [];
  unacknowledged: Sent[] = [];
  errors = 0;
  failures = 0;
  closedAfterKill = false;
  readyAfterKill: number | null = null;
  resumedSame = false;
  /** Done chatting: its own close is not the kill's doing. */
  private done = false;
  private waiting: { id: string; resolve: (f: Frame | null) => void } | null = null;

  constructor(
    readonly n: number,
    private readonly url: string,
    private readonly clock: { killedAt: number | null },
  ) {}

  /** Connects (again) and says hello, with the session when there is one; resolves on `ready`. */
  async connect(): Promise<void> {
    for (;;) {
      const ok = await new Promise<boolean>((resolve) => {
        const ws = new WebSocket(this.url, { handshakeTimeout: 10_000 });
        ws.once('error', () => resolve(false));
        ws.once('open', () =>
          ws.send(JSON.stringify(this.session ? { type: 'hello', sessionId: this.session, resumeToken: this.token } : { type: 'hello' })),
        );
        ws.on('message', (data) => {
          const f = JSON.parse(data.toString()) as Frame;
          if (f.type === 'ready') {
            const before = this.session;
            this.session = f.sessionId ?? '';
            this.token = f.resumeToken ?? '';
            this.ws = ws;
            if (this.clock.killedAt !== null && before) {
              this.readyAfterKill = performance.now() - this.clock.killedAt;
              this.resumedSame = before === this.session;
            }
            resolve(true);
          } else if (this.waiting && f.replyTo === this.waiting.id && ['reply', 'ack', 'error'].includes(f.type)) {
            const w = this.waiting;
            this.waiting = null;
            w.resolve(f);
          }
        });
        ws.once('close', () => {
          if (this.ws === ws) this.ws = null;
          if (this.clock.killedAt !== null && !this.done) this.closedAfterKill = true;
          const w = this.waiting;
          this.waiting = null;
          w?.resolve(null);
          resolve(false);
        });
      });
      if (ok) return;
      this.failures++;
      await sleep(50);
    }
  }

  /** Sends messages every `gapMs` until `until()` says stop, reconnecting when the socket closes. */
  async chat(qs: readonly string[], gapMs: number, until: () => boolean): Promise<void> {
    let k = 0;
    while (!until()) {
      if (!this.ws) await this.connect();
      const ws = this.ws as WebSocket | null;
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        this.ws = null;
        continue;
      }
      const id = `c${this.n}m${k}`;
      const sent: Sent = { session: this.session, text: `${qs[(this.n * 31 + k) % qs.length]}（${id}）`, at: performance.now() };
      k++;
      let timer: NodeJS.Timeout | undefined;
      const answer = new Promise<Frame | null>((resolve) => {
        this.waiting = { id, resolve };
        // An answer that never comes (the socket half-open) counts as not acknowledged, and the socket is dropped.
        timer = setTimeout(() => {
          this.waiting = null;
          ws.terminate();
          resolve(null);
        }, ANSWER_WITHIN_MS);
      });
      ws.send(JSON.stringify({ type: 'message', id, text: sent.text }));
      const f = await answer;
      clearTimeout(timer);
      if (f === null) this.unacknowledged.push(sent);
      else if (f.type === 'error') this.errors++;
      else this.acked.push(sent);
      await sleep(gapMs);
    }
    this.done = true;
    this.ws?.close();
  }
}

export async function failover(run: Run, citizens: number, seconds: number, killAfterS: number): Promise<FailoverFigures> {
  const qs = await questions();
  const pair = await startPair(run);
  const balancer = await startBalancer(pair);
  const url = `${balancer.url.replace('http', 'ws')}/ws/chat`;
  const clock: { killedAt: number | null } = { killedAt: null };
  const all = Array.from({ length: citizens }, (_, n) => new Citizen(n, url, clock));
  try {
    for (const c of all) await c.connect();
    const start = performance.now();
    const stopAt = start + seconds * 1000;
    const chatting = all.map((c) => c.chat(qs, 200, () => performance.now() >= stopAt));
    await sleep(killAfterS * 1000);
    const [victim] = pair as [Instance, Instance];
    clock.killedAt = performance.now();
    await victim.kill();
    await Promise.all(chatting);
    const killedAt = clock.killedAt;
    const lines = await userLines(run);
    const kept = (s: Sent) => lines.get(s.session)?.has(s.text) ?? false;
    const affected = all.filter((c) => c.closedAfterKill);
    const readies = affected.map((c) => c.readyAfterKill).filter((t): t is number => t !== null);
    const acked = all.flatMap((c) => c.acked);
    const unacknowledged = all.flatMap((c) => c.unacknowledged);
    return {
      citizens,
      affected: affected.length,
      resumed: affected.filter((c) => c.resumedSame).length,
      readyP50: quantile(readies, 0.5),
      readyMax: readies.length ? Math.max(...readies) : Number.NaN,
      ackedBefore: acked.filter((s) => s.at < killedAt).length,
      ackedAfter: acked.filter((s) => s.at >= killedAt).length,
      lost: acked.filter((s) => !kept(s)).length,
      unacknowledged: unacknowledged.length,
      unacknowledgedKept: unacknowledged.filter(kept).length,
      errors: all.reduce((n, c) => n + c.errors, 0),
      reconnectFailures: all.reduce((n, c) => n + c.failures, 0),
    };
  } finally {
    for (const c of all) c.ws?.terminate();
    await balancer.stop();
    await stopAll(pair);
  }
}
