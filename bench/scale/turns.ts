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
  /** The share of bot turns the bot answered by handing the chat over (the own set has such questions). */
  handoffs: { first: number; later: number };
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
  reply?: { type: string };
  event?: string;
  sessionId?: string;
}

type Next = (types: string | readonly string[], match?: (f: Frame) => boolean) => Promise<Frame>;

/** The next frame of one of `types` (that `match` accepts) the socket receives from now on. */
function frames(ws: WebSocket): Next {
  const waiting: { types: readonly string[]; match?: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  const seen: string[] = [];
  ws.on('message', (data) => {
    const f = JSON.parse(data.toString()) as Frame;
    seen.push(data.toString().slice(0, 160));
    if (seen.length > 5) seen.shift();
    const i = waiting.findIndex((w) => w.types.includes(f.type) && (!w.match || w.match(f)));
    if (i >= 0) waiting.splice(i, 1)[0]?.resolve(f);
  });
  return (types, match) =>
    new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${String(types)} frame within 15 s; the last frames: ${seen.join(' | ')}`)),
        15_000,
      );
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

/** What a batch of turns was answered with. */
interface Answers {
  errors: number;
  /** Replies whose `reply.type` is `handoff`: the bot handed the chat over (the desk's exclusive lock). */
  handoffs: number;
}

/** Every socket sends one message and waits for its answer (`reply`, `ack` or `error`), `perSocket` times, sockets side by side. */
async function turnsOn(
  sockets: readonly WebSocket[],
  waits: readonly Next[],
  qs: readonly string[],
  perSocket: number,
  tag: string,
  answers: Answers = { errors: 0, handoffs: 0 },
): Promise<Answers> {
  await Promise.all(
    sockets.map(async (ws, i) => {
      for (let k = 0; k < perSocket; k++) {
        const id = `${tag}-${i}-${k}`;
        const answered = (waits[i] as Next)(['reply', 'ack', 'error'], (f) => f.replyTo === id);
        ws.send(JSON.stringify({ type: 'message', id, text: qs[(i * perSocket + k) % qs.length] }));
        const f = await answered;
        if (f.type === 'error') answers.errors++;
        if (f.reply?.type === 'handoff') answers.handoffs++;
      }
    }),
  );
  return answers;
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
  const idle = await measure(pair, windowMs, async () => {});

  const chats = await openSockets([a.base, b.base], sockets);
  const waits = chats.map(frames);
  const answers: Answers = { errors: 0, handoffs: 0 };
  const first = await measure(pair, windowMs, async () => void (await turnsOn(chats, waits, qs, 1, `${tag}f`, answers)));
  const firstHandoffs = answers.handoffs;
  const laterW = await measure(pair, windowMs, async () => void (await turnsOn(chats, waits, qs, later, `${tag}l`, answers)));
  closeSockets(chats);

  // The only agent, online on A, takes one chat (capacity 1); the others ask for a person and wait.
  const agent = new WebSocket(`${a.base.replace('http', 'ws')}/ws/agent?token=${AGENT.token}`);
  const agentFrames = frames(agent);
  const welcome = agentFrames('welcome');
  await welcome;
  // A chat asks for a person after a turn with the bot, as a citizen's does (the bot may have handed it over
  // itself: the handoff frame is then refused, HL_ERR_BAD_TRANSITION, and changes nothing).
  const [held] = await openSockets([b.base], 1);
  const heldFrames = frames(held as WebSocket);
  const chatFrame = agentFrames('chat');
  const assignedFrame = heldFrames('handoff', (f) => f.event === 'assigned');
  await turnsOn([held as WebSocket], [heldFrames], qs, 1, `${tag}h`);
  (held as WebSocket).send('{"type":"handoff"}');
  const [assigned] = await Promise.all([chatFrame, assignedFrame]);
  const queued = await openSockets([a.base, b.base], sockets);
  const queuedWaits = queued.map(frames);
  const queuing = queuedWaits.map((next) => next('handoff', (f) => f.event === 'queued' || f.event === 'unavailable'));
  await turnsOn(queued, queuedWaits, qs, 1, `${tag}b`);
  for (const ws of queued) ws.send('{"type":"handoff"}');
  const told = await Promise.all(queuing);
  const refused = told.filter((f) => f.event !== 'queued').length;
  if (refused > 0) throw new Error(`${refused} of ${queued.length} chats were not queued (the desk said unavailable)`);
  const queuedW = await measure(pair, windowMs, async () => void (await turnsOn(queued, queuedWaits, qs, 2, `${tag}q`, answers)));
  // Leave the desk as it was: the waiting cancel, the agent closes the chat.
  for (const ws of queued) ws.send('{"type":"cancel"}');
  agent.send(JSON.stringify({ type: 'close', sessionId: assigned.sessionId, resolution: 'bench' }));
  await sleep(500);
  closeSockets([...queued, held as WebSocket, agent]);

  return {
    first: cost(sockets, first, idle),
    later: cost(sockets * later, laterW, idle),
    queued: cost(sockets * 2, queuedW, idle),
    errors: answers.errors,
    handoffs: { first: firstHandoffs / sockets, later: (answers.handoffs - firstHandoffs) / (sockets * later) },
  };
}
