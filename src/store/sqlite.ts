import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HlError } from '../errors.js';
import type { ConversationState, TicketState } from '../handoff/machine.js';
import { resolveAll, Settlement } from './settlement.js';
import { configure, migrate } from './sqlite-schema.js';
import { applyTicketChange, type TicketChange, ticketId, ticketSeq } from './tickets.js';
import type {
  Committing,
  Conversation,
  Feedback,
  Handoff,
  HandoffPatch,
  NewFeedback,
  NewHandoff,
  NewTicket,
  NewTranscriptEntry,
  SessionRow,
  StateEvent,
  Store,
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

/** The units of one group commit waiting for it (issue 14). */
interface Group {
  waiting: { resolve: () => void; reject: (err: unknown) => void }[];
  timer: NodeJS.Immediate;
}

/**
 * The store in one SQLite file, `<dataDir>/hotline.db` (the directory is created). Statements are
 * prepared once; each write is its own transaction, multi-row writes one transaction, so everything a
 * method wrote has committed when it returns. `groupCommit` units share one transaction, opened by the
 * first unit of a tick and committed by `setImmediate` (or by the next write outside a unit).
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly file: string;
  private readonly db: Database.Database;
  private readonly sql;
  private readonly walSync: WalSync;

  /** `walSync`: how the WAL is flushed in the background as commits grow it (tests give a clock and a fake sync). */
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
      getSession: db.prepare('SELECT state, updated_at AS updatedAt FROM dialogue_sessions WHERE session_id = ?'),
      putSession: db.prepare(`INSERT INTO dialogue_sessions (session_id, state, updated_at) VALUES (?, ?, ?)
        ON CONFLICT (session_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`),
      pruneSessions: db.prepare('DELETE FROM dialogue_sessions WHERE updated_at < ?'),
      begin: db.prepare('BEGIN'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
    };
    // One transaction wrapper for all units (better-sqlite3 nests it as a savepoint when already inside one).
    this.runner = db.transaction((f: () => unknown) => f());
  }

  private readonly runner: (f: () => unknown) => unknown;
  /** Units running now (atomic or grouped, nested included). */
  private depth = 0;
  /** The open group commit's transaction and the units waiting for it. */
  private group: Group | null = null;
  private readonly settlement = new Settlement();

  atomic<T>(fn: () => T): T {
    if (this.depth === 0) this.checkGroup();
    const value = this.unit(fn);
    if (this.depth === 0) {
      if (this.group) this.commitGroup();
      else this.walSync.committed();
    }
    return value;
  }

  groupCommit<T>(fn: () => T): Committing<T> {
    if (this.depth > 0) return { value: this.unit(fn), committed: Promise.resolve() };
    this.checkGroup();
    if (!this.group) {
      this.sql.begin.run();
      this.group = { waiting: [], timer: setImmediate(() => this.commitGroupLater()) };
    }
    const group = this.group;
    const value = this.unit(fn);
    const committed = new Promise<void>((resolve, reject) => group.waiting.push({ resolve, reject }));
    // A caller that never waits must not crash the process with an unhandled rejection; one that waits still gets it.
    committed.catch(() => {});
    return { value, committed };
  }

  /** Runs `fn` as a savepoint of the open transaction (or its own transaction): a throw undoes its writes alone. */
  private unit<T>(fn: () => T): T {
    this.depth++;
    this.settlement.enter();
    let value: T;
    try {
      value = this.runner(fn) as T;
    } catch (err) {
      this.settlement.fail(err);
      throw err;
    } finally {
      this.depth--;
    }
    const waiters = this.settlement.leave();
    // The outermost unit: inside the open group's transaction its waiters commit with the group; else its own
    // transaction has just committed.
    if (this.group) for (const w of waiters) this.group.waiting.push(w);
    else resolveAll(waiters);
    return value;
  }

  settled(): Promise<void> {
    return this.settlement.wait() ?? Promise.resolve();
  }

  /** A write outside any unit commits with the waiting units, so it has committed when it returns. */
  private write<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    if (this.group) return this.atomic(fn);
    const value = fn();
    this.walSync.committed();
    return value;
  }

  /** Commits the open group; when that fails, rolls it back, fails every unit waiting and throws HL_ERR_INTERNAL. */
  private commitGroup(): void {
    const group = this.group;
    if (!group) return;
    this.group = null;
    clearImmediate(group.timer);
    try {
      this.sql.commit.run();
    } catch (cause) {
      if (this.db.inTransaction) this.sql.rollback.run();
      throw this.reject(group, cause);
    }
    this.walSync.committed();
    for (const w of group.waiting) w.resolve();
  }

  private commitGroupLater(): void {
    try {
      this.commitGroup();
    } catch {
      // Each waiting unit has the error.
    }
  }

  /** SQLite rolls a whole transaction back on some errors (SQLITE_FULL, IOERR …): the units waiting are lost, say so. */
  private checkGroup(): void {
    if (this.group && !this.db.inTransaction) this.failGroup(new Error('the group transaction was rolled back'));
  }

  private failGroup(cause: unknown): void {
    const group = this.group as Group;
    this.group = null;
    clearImmediate(group.timer);
    if (this.db.inTransaction) this.sql.rollback.run();
    this.reject(group, cause);
  }

  private reject(group: Group, cause: unknown): HlError {
    const err = new HlError('HL_ERR_INTERNAL', [], { cause });
    for (const w of group.waiting) w.reject(err);
    return err;
  }

  putConversation(c: Conversation): void {
    this.write(() =>
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
      ),
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
    const { lastInsertRowid } = this.write(() =>
      this.sql.appendEntry.run(entry.sessionId, entry.role, entry.text, reply, entry.agentId ?? null, entry.at),
    );
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
    const { lastInsertRowid } = this.write(() => this.sql.createHandoff.run(handoff));
    return { ...handoff, id: Number(lastInsertRowid), status: 'pending', agentId: null, assignedAt: null, endedAt: null, resolution: null };
  }

  updateHandoff(id: number, patch: HandoffPatch): Handoff {
    const row = this.write(() =>
      this.sql.updateHandoff.get({
        id,
        ...patchOf(patch, 'status'),
        ...patchOf(patch, 'agentId'),
        ...patchOf(patch, 'assignedAt'),
        ...patchOf(patch, 'endedAt'),
        ...patchOf(patch, 'resolution'),
      }),
    ) as Handoff | undefined;
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
    const { lastInsertRowid } = this.write(() => this.sql.createTicket.run(ticket));
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
    this.write(() => this.sql.appendEvent.run({ ...event, data }));
  }

  events(sessionId: string): StateEvent[] {
    return (this.sql.events.all(sessionId) as EventRow[]).map(eventFrom);
  }

  latestHandoff(sessionId: string): Handoff | undefined {
    return this.sql.latestHandoff.get(sessionId) as Handoff | undefined;
  }

  addFeedback(feedback: NewFeedback): Feedback {
    const { changes, lastInsertRowid } = this.write(() => this.sql.addFeedback.run(feedback));
    if (changes === 0) throw new HlError('HL_ERR_FEEDBACK_EXISTS');
    return { ...feedback, id: Number(lastInsertRowid) };
  }

  listFeedback(filter: { kind?: Feedback['kind']; vote?: 'up' | 'down'; limit?: number } = {}): Feedback[] {
    return this.sql.listFeedback.all({ kind: filter.kind ?? null, vote: filter.vote ?? null, limit: filter.limit ?? -1 }) as Feedback[];
  }

  getSession(sessionId: string): SessionRow | undefined {
    return this.sql.getSession.get(sessionId) as SessionRow | undefined;
  }

  putSession(sessionId: string, state: string, at: number): void {
    this.write(() => this.sql.putSession.run(sessionId, state, at));
  }

  pruneSessions(before: number): number {
    return this.write(() => this.sql.pruneSessions.run(before).changes);
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

  /** Commits what waits for the group commit, then closes the file. */
  close(): void {
    try {
      this.commitGroup();
    } finally {
      this.walSync.close();
      this.db.close();
    }
  }

  private changeTicket(id: string, change: TicketChange, at: number): Ticket {
    return this.atomic(() => {
      const next = applyTicketChange(this.getTicket(id), id, change, at);
      this.sql.updateTicket.run({ ...next, seq: ticketSeq(next.id) });
      return next;
    });
  }
}
