import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HlError } from '../errors.js';
import type { ConversationState, TicketState } from '../handoff/machine.js';
import { DAY_MS, dayIso, SHANGHAI_OFFSET_MS } from '../ops/day.js';
import type { DailyFeedback, DailyReplies, Miss, MissFilter, NewMiss } from '../ops/types.js';
import { configure, migrate } from './sqlite-schema.js';
import { type SyncEngine, SyncStore } from './sync-store.js';
import { applyTicketChange, type TicketChange, ticketId, ticketSeq } from './tickets.js';
import type {
  Conversation,
  DeskRow,
  Feedback,
  Handoff,
  HandoffPatch,
  NewFeedback,
  NewHandoff,
  NewTicket,
  NewTranscriptEntry,
  SessionRow,
  StateEvent,
  Ticket,
  TranscriptEntry,
} from './types.js';
import { WalSync, type WalSyncOptions } from './wal-sync.js';

const CONVERSATION_OF = (t: string) => `${t}.session_id AS sessionId, ${t}.channel AS channel, ${t}.region AS region,
  ${t}.state AS state, ${t}.agent_id AS agentId, ${t}.queued_at AS queuedAt, ${t}.created_at AS createdAt,
  ${t}.updated_at AS updatedAt, ${t}.last_user_text AS lastUserText`;
const CONVERSATION = CONVERSATION_OF('conversations');
const ENTRY = 'seq, session_id AS sessionId, role, text, reply, agent_id AS agentId, at';
const HANDOFF = `id, session_id AS sessionId, reason, region, status, agent_id AS agentId, requested_at AS requestedAt,
  assigned_at AS assignedAt, ended_at AS endedAt, resolution`;
const TICKET = `seq, session_id AS sessionId, phone, question, region, status, claimed_by AS claimedBy, resolution,
  created_at AS createdAt, updated_at AS updatedAt`;
const FEEDBACK = `id, session_id AS sessionId, channel, kind, target, vote, score, reason, comment, notice, clause, intent,
  agent_id AS agentId, region, at`;
const MISS = `id, kind, session_id AS sessionId, channel, text, reply, reply_type AS replyType, region, intent, rule, confidence,
  candidates, detail, comment, at`;
/** The Asia/Shanghai day of a time column as a day count (src/ops/day.ts); integer division, as the column is. */
const day = (column: string) => `((${column} + ${SHANGHAI_OFFSET_MS}) / ${DAY_MS})`;
const EVENT = 'session_id AS sessionId, event, from_state AS "from", to_state AS "to", at, data';

type TurnRow = { [K in keyof Conversation]: Conversation[K] | null } & { sessionState: string | null; sessionUpdatedAt: number | null };
type EntryRow = Omit<TranscriptEntry, 'reply' | 'agentId'> & { reply: string | null; agentId: string | null };
type TicketRow = Omit<Ticket, 'id'> & { seq: number };
type EventRow = Omit<StateEvent, 'data'> & { data: string | null };

function entryFrom(row: EntryRow): TranscriptEntry {
  const { reply, agentId, ...rest } = row;
  return { ...rest, ...(reply !== null && { reply: JSON.parse(reply) }), ...(agentId !== null && { agentId }) };
}

/** One field of a handoff patch as the update's parameters: the value, and whether the patch names it. */
function patchOf<K extends keyof HandoffPatch>(patch: HandoffPatch, key: K) {
  const named = key in patch && patch[key] !== undefined;
  const set = `set${key[0]?.toUpperCase()}${key.slice(1)}`;
  return { [key]: named ? patch[key] : null, [set]: named ? 1 : 0 };
}

function ticketFrom({ seq, ...rest }: TicketRow): Ticket {
  return { id: ticketId(seq), ...rest };
}

function eventFrom({ data, ...rest }: EventRow): StateEvent {
  return data === null ? rest : { ...rest, data: JSON.parse(data) };
}

/**
 * The records in one SQLite file, `<dataDir>/hotline.db` (the directory is created). Statements are prepared once;
 * `SqliteStore` opens and ends the transactions.
 */
class SqliteEngine implements SyncEngine {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly sql;
  private readonly walSync: WalSync;

  constructor(options: { dataDir: string; walSync?: Omit<WalSyncOptions, 'file'> }) {
    mkdirSync(options.dataDir, { recursive: true });
    this.file = join(options.dataDir, 'hotline.db');
    this.db = new Database(this.file);
    configure(this.db);
    migrate(this.db, this.file);
    this.walSync = new WalSync({ ...options.walSync, file: this.file });
    const db = this.db;
    this.sql = {
      // The writes of every turn bind their parameters by position: a named one costs a property lookup by name
      // each (issue 14: 1.7 µs an insert, a third of it).
      putConversation: db.prepare(`INSERT INTO conversations
          (session_id, channel, region, state, agent_id, queued_at, created_at, updated_at, last_user_text)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (session_id) DO UPDATE SET channel = excluded.channel, region = excluded.region, state = excluded.state,
          agent_id = excluded.agent_id, queued_at = excluded.queued_at, created_at = excluded.created_at,
          updated_at = excluded.updated_at, last_user_text = excluded.last_user_text`),
      getConversation: db.prepare(`SELECT ${CONVERSATION} FROM conversations WHERE session_id = ?`),
      loadConversation: db.prepare(`SELECT ${CONVERSATION_OF('c')}, s.state AS sessionState, s.updated_at AS sessionUpdatedAt
        FROM (SELECT ? AS id) k LEFT JOIN conversations c ON c.session_id = k.id LEFT JOIN dialogue_sessions s ON s.session_id = k.id`),
      listConversations: db.prepare(
        `SELECT ${CONVERSATION} FROM conversations WHERE state = ? ORDER BY COALESCE(queued_at, created_at), created_at, rowid`,
      ),
      appendEntry: db.prepare('INSERT INTO transcript (session_id, role, text, reply, agent_id, at) VALUES (?, ?, ?, ?, ?, ?)'),
      transcript: db.prepare(`SELECT * FROM (SELECT ${ENTRY} FROM transcript WHERE session_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq`),
      createHandoff: db.prepare(`INSERT INTO handoffs (session_id, reason, region, status, requested_at)
        VALUES (@sessionId, @reason, @region, 'pending', @requestedAt)`),
      // A patch changes only the fields it names (set*: 1), and the row comes back: no read first.
      updateHandoff: db.prepare(`UPDATE handoffs SET
          status = CASE WHEN @setStatus THEN @status ELSE status END,
          agent_id = CASE WHEN @setAgentId THEN @agentId ELSE agent_id END,
          assigned_at = CASE WHEN @setAssignedAt THEN @assignedAt ELSE assigned_at END,
          ended_at = CASE WHEN @setEndedAt THEN @endedAt ELSE ended_at END,
          resolution = CASE WHEN @setResolution THEN @resolution ELSE resolution END
        WHERE id = @id RETURNING ${HANDOFF}`),
      getHandoff: db.prepare(`SELECT ${HANDOFF} FROM handoffs WHERE id = ?`),
      openHandoff: db.prepare(
        `SELECT ${HANDOFF} FROM handoffs WHERE session_id = ? AND status IN ('pending', 'assigned') ORDER BY id DESC LIMIT 1`,
      ),
      createTicket: db.prepare(`INSERT INTO tickets (session_id, phone, question, region, status, created_at, updated_at)
        VALUES (@sessionId, @phone, @question, @region, 'open', @createdAt, @createdAt)`),
      getTicket: db.prepare(`SELECT ${TICKET} FROM tickets WHERE seq = ?`),
      listTickets: db.prepare(`SELECT ${TICKET} FROM tickets WHERE (@status IS NULL OR status = @status) ORDER BY seq DESC LIMIT @limit`),
      updateTicket: db.prepare(`UPDATE tickets SET status = @status, claimed_by = @claimedBy, resolution = @resolution,
        updated_at = @updatedAt WHERE seq = @seq`),
      appendEvent: db.prepare(`INSERT INTO state_events (session_id, event, from_state, to_state, at, data)
        VALUES (@sessionId, @event, @from, @to, @at, @data)`),
      events: db.prepare(`SELECT ${EVENT} FROM state_events WHERE session_id = ? ORDER BY id`),
      latestHandoff: db.prepare(`SELECT ${HANDOFF} FROM handoffs WHERE session_id = ? ORDER BY id DESC LIMIT 1`),
      addFeedback: db.prepare(`INSERT INTO feedback (session_id, channel, kind, target, vote, score, reason, comment, notice, clause,
          intent, agent_id, region, at)
        VALUES (@sessionId, @channel, @kind, @target, @vote, @score, @reason, @comment, @notice, @clause, @intent, @agentId, @region, @at)
        ON CONFLICT (session_id, kind, target) DO NOTHING`),
      listFeedback: db.prepare(`SELECT ${FEEDBACK} FROM feedback WHERE (@kind IS NULL OR kind = @kind) AND (@vote IS NULL OR vote = @vote)
        ORDER BY id DESC LIMIT @limit`),
      addMiss: db.prepare(`INSERT INTO misses (kind, session_id, channel, text, reply, reply_type, region, intent, rule, confidence,
          candidates, detail, comment, at)
        VALUES (@kind, @sessionId, @channel, @text, @reply, @replyType, @region, @intent, @rule, @confidence, @candidates, @detail,
          @comment, @at)`),
      listMisses: db.prepare(`SELECT ${MISS} FROM misses WHERE at >= @since AND (@ids IS NULL OR id IN (SELECT value FROM json_each(@ids)))
        AND (@kind IS NULL OR kind = @kind)
        AND (@region IS NULL OR region = @region) AND (@intent IS NULL OR intent = @intent) ORDER BY id DESC LIMIT @limit`),
      dailyReplies: db.prepare(`SELECT ${day('t.at')} AS day, coalesce(c.channel, 'api') AS channel,
          json_extract(t.reply, '$.type') AS type, count(*) AS n
        FROM transcript t LEFT JOIN conversations c ON c.session_id = t.session_id
        WHERE t.at >= ? AND t.role = 'bot' AND json_extract(t.reply, '$.type') IS NOT NULL
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`),
      dailyFeedback: db.prepare(`SELECT ${day('at')} AS day, sum(vote = 'up') AS up, sum(vote = 'down') AS down, count(score) AS ratings,
          coalesce(sum(score), 0) AS scoreSum, sum(score <= 3) AS low
        FROM feedback WHERE at >= ? GROUP BY 1 ORDER BY 1`),
      getSession: db.prepare('SELECT state, updated_at AS updatedAt FROM dialogue_sessions WHERE session_id = ?'),
      putSession: db.prepare(`INSERT INTO dialogue_sessions (session_id, state, updated_at) VALUES (?, ?, ?)
        ON CONFLICT (session_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`),
      pruneSessions: db.prepare('DELETE FROM dialogue_sessions WHERE updated_at < ?'),
      lockDesk: db.prepare('SELECT version, state FROM desk_state WHERE id = 1'),
      saveDesk: db.prepare(`INSERT INTO desk_state (id, version, state) VALUES (1, 1, ?)
        ON CONFLICT (id) DO UPDATE SET version = version + 1, state = excluded.state RETURNING version`),
      begin: db.prepare('BEGIN'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT unit'),
      release: db.prepare('RELEASE unit'),
      rollbackTo: db.prepare('ROLLBACK TO unit'),
    };
  }

  inTransaction(): boolean {
    return this.db.inTransaction;
  }

  begin(): void {
    this.sql.begin.run();
  }

  commit(): void {
    this.sql.commit.run();
  }

  rollback(): void {
    this.sql.rollback.run();
  }

  savepoint(): void {
    this.sql.savepoint.run();
  }

  release(): void {
    this.sql.release.run();
  }

  rollbackToSavepoint(): void {
    this.sql.rollbackTo.run();
  }

  committed(): void {
    this.walSync.committed();
  }

  putConversation(c: Conversation): void {
    this.sql.putConversation.run(
      c.sessionId,
      c.channel,
      c.region,
      c.state,
      c.agentId,
      c.queuedAt,
      c.createdAt,
      c.updatedAt,
      c.lastUserText,
    );
  }

  getConversation(sessionId: string): Conversation | undefined {
    return this.sql.getConversation.get(sessionId) as Conversation | undefined;
  }

  loadConversation(sessionId: string): { conversation: Conversation | undefined; session: SessionRow | undefined } {
    const { sessionState, sessionUpdatedAt, ...c } = this.sql.loadConversation.get(sessionId) as TurnRow;
    return {
      conversation: c.sessionId === null ? undefined : (c as Conversation),
      session: sessionState === null ? undefined : { state: sessionState, updatedAt: sessionUpdatedAt as number },
    };
  }

  listConversations(state: ConversationState): Conversation[] {
    return this.sql.listConversations.all(state) as Conversation[];
  }

  appendTranscript(entry: NewTranscriptEntry): TranscriptEntry {
    const reply = entry.reply === undefined ? null : JSON.stringify(entry.reply);
    const { lastInsertRowid } = this.sql.appendEntry.run(entry.sessionId, entry.role, entry.text, reply, entry.agentId ?? null, entry.at);
    // The entry as given, with its seq: its reply is not parsed back from what was just written (issue 14).
    const { reply: given, agentId, ...rest } = entry;
    return {
      ...rest,
      seq: Number(lastInsertRowid),
      ...(given !== undefined && { reply: given }),
      ...(agentId !== undefined && { agentId }),
    };
  }

  transcript(sessionId: string, options: { limit?: number } = {}): TranscriptEntry[] {
    return (this.sql.transcript.all(sessionId, options.limit ?? -1) as EntryRow[]).map(entryFrom);
  }

  createHandoff(handoff: NewHandoff): Handoff {
    const { lastInsertRowid } = this.sql.createHandoff.run(handoff);
    return { ...handoff, id: Number(lastInsertRowid), status: 'pending', agentId: null, assignedAt: null, endedAt: null, resolution: null };
  }

  updateHandoff(id: number, patch: HandoffPatch): Handoff {
    const row = this.sql.updateHandoff.get({
      id,
      ...patchOf(patch, 'status'),
      ...patchOf(patch, 'agentId'),
      ...patchOf(patch, 'assignedAt'),
      ...patchOf(patch, 'endedAt'),
      ...patchOf(patch, 'resolution'),
    }) as Handoff | undefined;
    if (!row) throw new HlError('HL_ERR_INTERNAL', [], { cause: new Error(`no handoff ${id}`) });
    return row;
  }

  getHandoff(id: number): Handoff | undefined {
    return this.sql.getHandoff.get(id) as Handoff | undefined;
  }

  openHandoff(sessionId: string): Handoff | undefined {
    return this.sql.openHandoff.get(sessionId) as Handoff | undefined;
  }

  createTicket(ticket: NewTicket): Ticket {
    const { lastInsertRowid } = this.sql.createTicket.run(ticket);
    const seq = Number(lastInsertRowid);
    return { ...ticket, id: ticketId(seq), status: 'open', claimedBy: null, resolution: null, updatedAt: ticket.createdAt };
  }

  getTicket(id: string): Ticket | undefined {
    const seq = ticketSeq(id);
    const row = seq === undefined ? undefined : (this.sql.getTicket.get(seq) as TicketRow | undefined);
    const ticket = row && ticketFrom(row);
    return ticket?.id === id ? ticket : undefined;
  }

  listTickets(status?: TicketState, options: { limit?: number } = {}): Ticket[] {
    const rows = this.sql.listTickets.all({ status: status ?? null, limit: options.limit ?? -1 }) as TicketRow[];
    return rows.map(ticketFrom);
  }

  claimTicket(id: string, agentId: string, at: number): Ticket {
    return this.changeTicket(id, { event: 'ticket.claimed', agentId }, at);
  }

  releaseTicket(id: string, at: number): Ticket {
    return this.changeTicket(id, { event: 'ticket.released' }, at);
  }

  closeTicket(id: string, resolution: string, at: number): Ticket {
    return this.changeTicket(id, { event: 'ticket.closed', resolution }, at);
  }

  appendEvent(event: StateEvent): void {
    const data = event.data === undefined ? null : JSON.stringify(event.data);
    this.sql.appendEvent.run({ ...event, data });
  }

  events(sessionId: string): StateEvent[] {
    return (this.sql.events.all(sessionId) as EventRow[]).map(eventFrom);
  }

  latestHandoff(sessionId: string): Handoff | undefined {
    return this.sql.latestHandoff.get(sessionId) as Handoff | undefined;
  }

  addFeedback(feedback: NewFeedback): Feedback {
    const { changes, lastInsertRowid } = this.sql.addFeedback.run(feedback);
    if (changes === 0) throw new HlError('HL_ERR_FEEDBACK_EXISTS');
    return { ...feedback, id: Number(lastInsertRowid) };
  }

  listFeedback(filter: { kind?: Feedback['kind']; vote?: 'up' | 'down'; limit?: number } = {}): Feedback[] {
    return this.sql.listFeedback.all({ kind: filter.kind ?? null, vote: filter.vote ?? null, limit: filter.limit ?? -1 }) as Feedback[];
  }

  addMiss(miss: NewMiss): Miss {
    const { lastInsertRowid } = this.sql.addMiss.run({ ...miss, candidates: JSON.stringify(miss.candidates) });
    return { ...miss, id: Number(lastInsertRowid) };
  }

  listMisses(filter: MissFilter = {}): Miss[] {
    const rows = this.sql.listMisses.all({
      ids: filter.ids === undefined ? null : JSON.stringify(filter.ids),
      since: filter.since ?? 0,
      kind: filter.kind ?? null,
      region: filter.region ?? null,
      intent: filter.intent ?? null,
      limit: filter.limit ?? -1,
    }) as (Omit<Miss, 'candidates'> & { candidates: string })[];
    return rows.map((r) => ({ ...r, candidates: JSON.parse(r.candidates) as Miss['candidates'] }));
  }

  dailyReplies(since: number): DailyReplies[] {
    return (this.sql.dailyReplies.all(since) as (Omit<DailyReplies, 'day'> & { day: number })[]).map((r) => ({ ...r, day: dayIso(r.day) }));
  }

  dailyFeedback(since: number): DailyFeedback[] {
    return (this.sql.dailyFeedback.all(since) as (Omit<DailyFeedback, 'day'> & { day: number })[]).map((r) => ({
      ...r,
      day: dayIso(r.day),
      low: r.low ?? 0,
      up: r.up ?? 0,
      down: r.down ?? 0,
    }));
  }

  /** One process owns the file: nothing to wait for. */
  lockDesk(mode: 'shared' | 'exclusive'): DeskRow | null {
    return mode === 'exclusive' ? ((this.sql.lockDesk.get() as DeskRow | undefined) ?? null) : null;
  }

  saveDesk(state: string): number {
    return (this.sql.saveDesk.get(state) as { version: number }).version;
  }

  getSession(sessionId: string): SessionRow | undefined {
    return this.sql.getSession.get(sessionId) as SessionRow | undefined;
  }

  putSession(sessionId: string, state: string, at: number): void {
    this.sql.putSession.run(sessionId, state, at);
  }

  pruneSessions(before: number): number {
    return this.sql.pruneSessions.run(before).changes;
  }

  /** The connection's settings, for health checks and tests. */
  settings(): { journalMode: string; synchronous: number; busyTimeoutMs: number; schemaVersion: number } {
    return {
      journalMode: this.db.pragma('journal_mode', { simple: true }) as string,
      synchronous: this.db.pragma('synchronous', { simple: true }) as number,
      busyTimeoutMs: this.db.pragma('busy_timeout', { simple: true }) as number,
      schemaVersion: this.db.pragma('user_version', { simple: true }) as number,
    };
  }

  close(): void {
    try {
      this.walSync.close();
    } finally {
      this.db.close();
    }
  }

  private changeTicket(id: string, change: TicketChange, at: number): Ticket {
    const next = applyTicketChange(this.getTicket(id), id, change, at);
    this.sql.updateTicket.run({ ...next, seq: ticketSeq(next.id) });
    return next;
  }
}

/**
 * The store in one SQLite file, `<dataDir>/hotline.db`: each write outside a unit is its own transaction, a unit one
 * transaction, and the units of one tick's group commit share one (issue 14).
 */
export class SqliteStore extends SyncStore {
  readonly file: string;
  private readonly sqlite: SqliteEngine;

  /** `walSync`: how the WAL is flushed in the background as commits grow it (tests give a clock and a fake sync). */
  constructor(options: { dataDir: string; walSync?: Omit<WalSyncOptions, 'file'> }) {
    const engine = new SqliteEngine(options);
    super('sqlite', engine);
    this.sqlite = engine;
    this.file = engine.file;
  }

  /** The connection's settings, for health checks and tests. */
  settings(): { journalMode: string; synchronous: number; busyTimeoutMs: number; schemaVersion: number } {
    return this.sqlite.settings();
  }
}
