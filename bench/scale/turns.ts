/**
 * (3) What a chat turn costs PostgreSQL and Redis, on two instances: `hl_store_statements` deltas of both instances,
 * and the commands their own Redis connections sent (redis-count.ts), over a window of fixed length; the same
 * window's count with no traffic (the desk's tick each second, the heartbeats) is taken first and subtracted.
 * - a first turn: a new chat's first message (its conversation created);
 * - a later turn with the bot: a chat that has had turns;
 * - a turn in a queued chat: the only agent (AGENT_CAPACITY=1) is online and busy with another chat, the citizen has
 *   asked for a person and waits, and writes: the `ack` frame.
 */
import WebSocket from 'ws';
import { sleep } from '../reliability/lib/stats.js';
import { closeSockets, openSockets } from './chat.js';
import { AGENT, type Instance, statements } from './cluster.js';
import { countCommands } from './redis-count.js';

export interface TurnCost {
  turns: number;
  statements: number;
  redis: number;
  /** Redis commands by name, per turn, background subtracted (a name's count may go negative by noise). */
  redisByName: Record<string, number>;
}

export interface TurnFigures {
  first: TurnCost;
  later: TurnCost;
  queued: TurnCost;
  /** Turns answered with an error frame instead of a reply or an ack. */
  errors: number;
}

interface Window {
  statements: number;
  redis: number;
  byName: Map<string, number>;
  ms: number;
}

/** Statements and attributable Redis commands of `instances` while `work` runs, the window held to `ms`. */
async function measure(instances: readonly Instance[], ms: number, work: () => Promise<void>): Promise<Window> {
  const s0 = await Promise.all(instances.map(statements));
  const counter = await countCommands(instances.map((i) => i.pid));
  const t0 = performance.now();
  await work();
  const left = ms - (performance.now() - t0);
  if (left > 0) await sleep(left);
  const took = performance.now() - t0;
  const count = await counter.stop();
  const s1 = await Promise.all(instances.map(statements));
  return { statements: s1.reduce((a, b, i) => a + b - (s0[i] as number), 0), redis: count.total, byName: count.byName, ms: took };
}

function cost(turns: number, w: Window, idle: Window): TurnCost {
  const scale = w.ms / idle.ms;
  const byName: Record<string, number> = {};
  for (const name of new Set([...w.byName.keys(), ...idle.byName.keys()])) {
    const n = ((w.byName.get(name) ?? 0) - (idle.byName.get(name) ?? 0) * scale) / turns;
    if (Math.abs(n) >= 0.005) byName[name] = n;
  }
  return {
    turns,
    statements: (w.statements - idle.statements * scale) / turns,
    redis: (w.redis - idle.redis * scale) / turns,
    redisByName: byName,
  };
}

interface Frame {
  type: string;
  replyTo?: string;
  event?: string;
  sessionId?: string;
}

type Next = (types: string | readonly string[], match?: (f: Frame) => boolean) => Promise<Frame>;

/** The next frame of one of `types` (that `match` accepts) the socket receives from now on. */
function frames(ws: WebSocket): Next {
  const waiting: { types: readonly string[]; match?: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  ws.on('message', (data) => {
    const f = JSON.parse(data.toString()) as Frame;
    const i = waiting.findIndex((w) => w.types.includes(f.type) && (!w.match || w.match(f)));
    if (i >= 0) waiting.splice(i, 1)[0]?.resolve(f);
  });
  return (types, match) =>
    new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${String(types)} frame within 15 s`)), 15_000);
      waiting.push({
        types: typeof types === 'string' ? [types] : types,
        ...(match ? { match } : {}),
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
}

/** Turns answered with an error frame (a cost per turn counts them as turns: there should be none). */
const errors = { count: 0 };

/** Every socket sends one message and waits for its answer (`reply` or `ack`), `perSocket` times, sockets side by side. */
async function turnsOn(sockets: readonly WebSocket[], waits: readonly Next[], qs: readonly string[], perSocket: number, tag: string) {
  await Promise.all(
    sockets.map(async (ws, i) => {
      for (let k = 0; k < perSocket; k++) {
        const id = `${tag}-${i}-${k}`;
        const answered = (waits[i] as Next)(['reply', 'ack', 'error'], (f) => f.replyTo === id);
        ws.send(JSON.stringify({ type: 'message', id, text: qs[(i * perSocket + k) % qs.length] }));
        if ((await answered).type === 'error') errors.count++;
      }
    }),
  );
}

export async function turnCosts(
  pair: readonly [Instance, Instance],
  qs: readonly string[],
  tag: string,
  sockets = 40,
  later = 5,
): Promise<TurnFigures> {
  const [a, b] = pair;
  const windowMs = 4000;
  errors.count = 0;
  const idle = await measure(pair, windowMs, async () => {});

  const chats = await openSockets([a.base, b.base], sockets);
  const waits = chats.map(frames);
  const first = await measure(pair, windowMs, () => turnsOn(chats, waits, qs, 1, `${tag}f`));
  const laterW = await measure(pair, windowMs, () => turnsOn(chats, waits, qs, later, `${tag}l`));
  closeSockets(chats);

  // The only agent, online on A, takes one chat (capacity 1); the others ask for a person and wait.
  const agent = new WebSocket(`${a.base.replace('http', 'ws')}/ws/agent?token=${AGENT.token}`);
  const agentFrames = frames(agent);
  await agentFrames('welcome');
  const [held] = await openSockets([b.base], 1);
  const heldFrames = frames(held as WebSocket);
  (held as WebSocket).send('{"type":"handoff"}');
  const assigned = await agentFrames('chat');
  await heldFrames('handoff', (f) => f.event === 'assigned');
  const queued = await openSockets([a.base, b.base], sockets);
  const queuedWaits = queued.map(frames);
  const told = await Promise.all(
    queued.map((ws, i) => {
      const told = (queuedWaits[i] as Next)('handoff', (f) => f.event === 'queued' || f.event === 'unavailable');
      ws.send('{"type":"handoff"}');
      return told;
    }),
  );
  const refused = told.filter((f) => f.event !== 'queued').length;
  if (refused > 0) throw new Error(`${refused} of ${queued.length} chats were not queued (the desk said unavailable)`);
  const queuedW = await measure(pair, windowMs, () => turnsOn(queued, queuedWaits, qs, 2, `${tag}q`));
  // Leave the desk as it was: the waiting cancel, the agent closes the chat.
  for (const ws of queued) ws.send('{"type":"cancel"}');
  agent.send(JSON.stringify({ type: 'close', sessionId: assigned.sessionId, resolution: 'bench' }));
  await sleep(500);
  closeSockets([...queued, held as WebSocket, agent]);

  return {
    first: cost(sockets, first, idle),
    later: cost(sockets * later, laterW, idle),
    queued: cost(sockets * 2, queuedW, idle),
    errors: errors.count,
  };
}
