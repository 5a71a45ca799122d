/**
 * SIGKILL (issue 12): citizens chat and leave callback tickets over `/ws/chat` as fast as they can while
 * the built service (SQLite store) is killed with SIGKILL at random moments and restarted on the same
 * DATA_DIR. Everything the service acknowledged — a `reply` (or `ack`) to a message, a `ticket` frame with
 * its id — must be in the database afterwards exactly once: the file is opened read-only after the last
 * restart and a graceful stop, and every question and ticket carries a tag of its own.
 *   tsx bench/reliability/sigkill.ts --kills 20 [--writers 6] [--min-up-ms 500] [--max-up-ms 3000] [--seed N]
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type WebSocket from 'ws';
import { ticketId } from '../../src/store/tickets.js';
import { type CheckResult, Examples, isMain, numberArg, runAsScript } from './lib/check.js';
import { type Entry, removeDir, type Service, startService, throwawayDir } from './lib/service.js';
import { quantile, Random, round, sleep } from './lib/stats.js';
import { closeSocket, frameReader, openSocket } from './lib/ws-client.js';

export interface SigkillSizes {
  kills: number;
  /** Citizens writing at once. */
  writers?: number;
  /** How long the service runs before each kill: uniform between these. */
  minUpMs?: number;
  maxUpMs?: number;
  seed?: number;
  entry?: Entry;
}

export interface SigkillFigures {
  [k: string]: number | string;
  kills: number;
  turnsAcknowledged: number;
  ticketsAcknowledged: number;
  lostTurns: number;
  duplicatedTurns: number;
  lostTickets: number;
  duplicatedTickets: number;
  storedUnacknowledged: number;
  restartP50Ms: number;
  restartMaxMs: number;
  integrity: string;
}

interface Turn {
  sessionId: string;
  text: string;
}
interface ShownTicket {
  id: string;
  sessionId: string;
  question: string;
}

const TOKEN = 'sigkill-agent-token-0001';

export async function sigkill(sizes: SigkillSizes): Promise<CheckResult<SigkillFigures>> {
  const started = performance.now();
  const seed = sizes.seed ?? Math.floor(Math.random() * 2 ** 31);
  const rng = new Random(seed);
  const writers = sizes.writers ?? 6;
  const minUp = sizes.minUpMs ?? 500;
  const maxUp = sizes.maxUpMs ?? 3000;
  const dataDir = await throwawayDir('sigkill');
  const env = { STORE: 'sqlite', AGENT_TOKENS: `keeper:${TOKEN}`, WS_RATE_MESSAGES: '100000', RATE_LIMIT_MAX: '100000000' };
  const start = () => startService({ entry: sizes.entry, dataDir, env });

  const turns: Turn[] = [];
  const tickets: ShownTicket[] = [];
  const restarts: number[] = [];
  let service: Service = await start();
  let stop = false;
  let tag = 0;

  // A citizen: a session, a question answered, a callback ticket; again and again, on whatever instance runs.
  const writer = async () => {
    while (!stop) {
      const n = tag++;
      let socket: WebSocket | null = null;
      try {
        socket = await openSocket(`${service.base.replace('http', 'ws')}/ws/chat`, { timeoutMs: 2000 });
        const f = frameReader(socket);
        socket.send(JSON.stringify({ type: 'hello', region: '包头' }));
        const sessionId = (await f.next('ready', 3000)).sessionId as string;
        const text = `包头高血压能开几个月的药？（k${n}）`;
        socket.send(JSON.stringify({ type: 'message', id: 'q', text }));
        await f.any(['reply', 'ack'], 3000);
        turns.push({ sessionId, text });
        const question = `请回电 k${n}`;
        socket.send(JSON.stringify({ type: 'ticket', id: 't', phone: `138${String(n).padStart(8, '0')}`, question }));
        const id = (await f.next('ticket', 3000)).id as string;
        tickets.push({ id, sessionId, question });
      } catch {
        // The service went away mid-conversation: what was not acknowledged is not counted.
        await sleep(50);
      } finally {
        if (socket) await closeSocket(socket);
      }
    }
  };
  const running = Array.from({ length: writers }, writer);
  for (let k = 0; k < sizes.kills; k++) {
    await sleep(rng.int(minUp, maxUp));
    await service.kill();
    service = await start();
    restarts.push(service.readyMs);
  }
  await sleep(minUp);
  stop = true;
  await Promise.all(running);
  await service.stop();

  const read = readBack(join(dataDir, 'hotline.db'), turns, tickets);
  await removeDir(dataDir);
  const f: SigkillFigures = {
    kills: sizes.kills,
    turnsAcknowledged: turns.length,
    ticketsAcknowledged: tickets.length,
    ...read.figures,
    restartP50Ms: round(quantile(restarts, 0.5), 0),
    restartMaxMs: round(Math.max(0, ...restarts), 0),
  };
  const reasons: string[] = [];
  if (f.lostTurns > 0) reasons.push(`${f.lostTurns} acknowledged chat turns lost (user or bot line missing)`);
  if (f.duplicatedTurns > 0) reasons.push(`${f.duplicatedTurns} chat turns stored more than once`);
  if (f.lostTickets > 0) reasons.push(`${f.lostTickets} acknowledged tickets lost`);
  if (f.duplicatedTickets > 0) reasons.push(`${f.duplicatedTickets} tickets stored more than once`);
  if (f.integrity !== 'ok') reasons.push(`PRAGMA integrity_check: ${f.integrity}`);
  if (tickets.length === 0) reasons.push('no ticket was acknowledged: nothing was checked');
  return {
    check: 'sigkill',
    pass: reasons.length === 0,
    reasons,
    sizes: { kills: sizes.kills, writers, minUpMs: minUp, maxUpMs: maxUp, seed, entry: sizes.entry ?? 'dist' },
    figures: f,
    examples: read.examples,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Reads the database file read-only: what was acknowledged and is missing, and what is there twice. */
function readBack(file: string, turns: Turn[], tickets: ShownTicket[]) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  const lines = db.prepare('SELECT session_id AS sessionId, role, text FROM transcript ORDER BY seq').all() as {
    sessionId: string;
    role: string;
    text: string;
  }[];
  const rows = db.prepare('SELECT seq, session_id AS sessionId, question FROM tickets').all() as {
    seq: number;
    sessionId: string;
    question: string;
  }[];
  db.close();
  const examples = new Examples(12, 3);

  const userLines = new Map<string, number>();
  const answered = new Set<string>();
  const lastUser = new Map<string, string>();
  for (const l of lines) {
    if (l.role === 'user') {
      userLines.set(l.text, (userLines.get(l.text) ?? 0) + 1);
      lastUser.set(l.sessionId, l.text);
    } else if (l.role === 'bot' && lastUser.has(l.sessionId)) answered.add(`${l.sessionId}\u0000${lastUser.get(l.sessionId)}`);
  }
  let lostTurns = 0;
  for (const t of turns) {
    if (userLines.has(t.text) && answered.has(`${t.sessionId}\u0000${t.text}`)) continue;
    lostTurns++;
    examples.add(`lost turn ${t.text}`, () => `session ${t.sessionId}`, 'lost turn');
  }
  const duplicatedTurns = [...userLines.values()].filter((n) => n > 1).length;

  const byId = new Map(rows.map((r) => [ticketId(r.seq), r]));
  const byQuestion = new Map<string, number>();
  for (const r of rows) byQuestion.set(r.question, (byQuestion.get(r.question) ?? 0) + 1);
  let lostTickets = 0;
  for (const t of tickets) {
    const row = byId.get(t.id);
    if (row && row.question === t.question && row.sessionId === t.sessionId) continue;
    lostTickets++;
    examples.add(`lost ticket ${t.id}`, () => (row ? `the row says ${row.question} / ${row.sessionId}` : 'no row'), 'lost ticket');
  }
  let duplicatedTickets = 0;
  for (const [question, n] of byQuestion) {
    if (n < 2) continue;
    duplicatedTickets++;
    examples.add(`duplicated ticket ${question}`, () => `${n} rows`, 'duplicated ticket');
  }
  const shown = new Set(tickets.map((t) => t.question));
  return {
    figures: {
      lostTurns,
      duplicatedTurns,
      lostTickets,
      duplicatedTickets,
      storedUnacknowledged: rows.filter((r) => !shown.has(r.question)).length,
      integrity,
    },
    examples: examples.list,
  };
}

if (isMain(import.meta.url)) {
  await runAsScript(async (args) =>
    sigkill({
      kills: numberArg(args, 'kills', 20),
      writers: numberArg(args, 'writers', 6),
      minUpMs: numberArg(args, 'min-up-ms', 500),
      maxUpMs: numberArg(args, 'max-up-ms', 3000),
      ...(args.has('seed') && { seed: numberArg(args, 'seed', 0) }),
      entry: (args.get('entry') as Entry | undefined) ?? 'dist',
    }),
  );
}
