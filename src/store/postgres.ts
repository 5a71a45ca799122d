import pg from 'pg';
import { HlError } from '../errors.js';
import type { ConversationState, TicketState } from '../handoff/machine.js';
import { DAY_MS, dayIso, SHANGHAI_OFFSET_MS } from '../ops/day.js';
import type { DailyFeedback, DailyReplies, Miss, MissFilter, NewMiss } from '../ops/types.js';
import { migrate, quoteSchema } from './postgres-schema.js';
import { applyTicketChange, type TicketChange, ticketId, ticketSeq } from './tickets.js';
import type {
  Committing,
  Conversation,
  DeskRow,
  Feedback,
  FeedbackFilter,
  Handoff,
  HandoffPatch,
  NewFeedback,
  NewHandoff,
  NewTicket,
  NewTranscriptEntry,
  SessionRow,
  StateEvent,
  Store,
  StoreData,
  Ticket,
  TranscriptEntry,
} from './types.js';

const CONVERSATION_OF = (t: string) => `${t}.session_id AS "sessionId", ${t}.channel, ${t}.region, ${t}.state,
  ${t}.agent_id AS "agentId", ${t}.queued_at AS "queuedAt", ${t}.created_at AS "createdAt", ${t}.updated_at AS "updatedAt",
  ${t}.last_user_text AS "lastUserText"`;
const CONVERSATION = CONVERSATION_OF('conversations');
const ENTRY = 'seq, session_id AS "sessionId", role, text, reply, agent_id AS "agentId", at';
const HANDOFF = `id, session_id AS "sessionId", reason, region, status, agent_id AS "agentId", requested_at AS "requestedAt",
  assigned_at AS "assignedAt", ended_at AS "endedAt", resolution`;
const TICKET = `seq, session_id AS "sessionId", phone, question, region, status, claimed_by AS "claimedBy", resolution,
  created_at AS "createdAt", updated_at AS "updatedAt"`;
const FEEDBACK = `id, session_id AS "sessionId", channel, kind, target, vote, score, reason, comment, notice, clause, intent,
  agent_id AS "agentId", region, at`;
const MISS = `id, kind, session_id AS "sessionId", channel, text, reply, reply_type AS "replyType", region, intent, rule, confidence,
  candidates, detail, comment, at`;
/** The Asia/Shanghai day of a time column as a day count (src/ops/day.ts); BIGINT division truncates, as wanted. */
const day = (column: string) => `((${column} + ${SHANGHAI_OFFSET_MS}) / ${DAY_MS})`;
const EVENT = 'session_id AS "sessionId", event, from_state AS "from", to_state AS "to", at, data';

/** Node's and PostgreSQL's ways of saying the server cannot be reached or went away (SQLSTATE classes 08 and 57P). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** The server is down or unreachable (not a statement that failed): the caller is told HL_ERR_UNAVAILABLE. */
function unreachable(err: unknown): boolean {
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNREACHABLE.has(code) || /^(08|57P0)/.test(code))) return true;
  return typeof message === 'string' && /timeout exceeded when trying to connect|Connection terminated|Query read timeout/.test(message);
}

/** `work`, with the server being unreachable said as HL_ERR_UNAVAILABLE. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (unreachable(err)) throw new HlError('HL_ERR_UNAVAILABLE', ['PostgreSQL'], { cause: err });
    throw err;
  }
}

/** The advisory lock of the handoff desk's state ("hldk"); migrations take another. */
const DESK_LOCK = 0x686c_646b;

/** BIGINT columns (ids, epoch milliseconds) as numbers: every value this store keeps is below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

type EntryRow = Omit<TranscriptEntry, 'reply' | 'agentId'> & { reply: unknown; agentId: string | null };
type TicketRow = Omit<Ticket, 'id'> & { seq: number };
type EventRow = Omit<StateEvent, 'data'> & { data: Record<string, unknown> | null };

function entryFrom(row: EntryRow): TranscriptEntry {
  const { reply, agentId, ...rest } = row;
  return { ...rest, ...(reply !== null && { reply }), ...(agentId !== null && { agentId }) };
}

function ticketFrom({ seq, ...rest }: TicketRow): Ticket {
  return { id: ticketId(seq), ...rest };
}

function eventFrom({ data, ...rest }: EventRow): StateEvent {
  return data === null ? rest : { ...rest, data };
}

/** A value for a JSONB parameter: pg sends objects as JSON itself, but an array or a string must be made JSON here. */
function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** The records, on a pool (outside any unit: each statement its own transaction) or on a unit's connection. */
class PgData implements StoreData {
  constructor(
    private readonly db: pg.Pool | pg.PoolClient,
    private readonly sent: { statements: number },
  ) {}

  /**
   * Every statement goes through here: counted (the store's figure for /metrics and bench/scale), and the server
   * being unreachable said as HL_ERR_UNAVAILABLE.
   */
  private query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    this.sent.statements++;
    return guarded(() => this.db.query<R>(text, values));
  }

  private async rows<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
    return (await this.query<R>(text, values)).rows;
  }

  private async row<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R | undefined> {
    return (await this.rows<R>(text, values))[0];
  }

  async putConversation(c: Conversation): Promise<void> {
    await this.query(
      `INSERT INTO conversations (session_id, channel, region, state, agent_id, queued_at, created_at, updated_at, last_user_text)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (session_id) DO UPDATE SET channel = excluded.channel, region = excluded.region, state = excluded.state,
         agent_id = excluded.agent_id, queued_at = excluded.queued_at, created_at = excluded.created_at,
         updated_at = excluded.updated_at, last_user_text = excluded.last_user_text`,
      [c.sessionId, c.channel, c.region, c.state, c.agentId, c.queuedAt, c.createdAt, c.updatedAt, c.lastUserText],
    );
  }

  getConversation(sessionId: string): Promise<Conversation | undefined> {
    return this.row<Conversation>(`SELECT ${CONVERSATION} FROM conversations WHERE session_id = $1`, [sessionId]);
  }

  async loadConversation(sessionId: string): Promise<{ conversation: Conversation | undefined; session: SessionRow | undefined }> {
    // One round trip for both: the conversation's columns, and its dialogue state's.
    const row = await this.row<Conversation & { sessionState: string | null; sessionUpdatedAt: number | null; found: boolean }>(
      `SELECT c.session_id IS NOT NULL AS found, ${CONVERSATION_OF('c')},
         s.state AS "sessionState", s.updated_at AS "sessionUpdatedAt"
       FROM (SELECT $1::text AS id) k LEFT JOIN conversations c ON c.session_id = k.id
         LEFT JOIN dialogue_sessions s ON s.session_id = k.id`,
      [sessionId],
    );
    if (!row) return { conversation: undefined, session: undefined };
    const { found, sessionState, sessionUpdatedAt, ...conversation } = row;
    return {
      conversation: found ? conversation : undefined,
      session: sessionState === null ? undefined : { state: sessionState, updatedAt: sessionUpdatedAt as number },
    };
  }

  listConversations(state: ConversationState): Promise<Conversation[]> {
    return this.rows<Conversation>(
      `SELECT ${CONVERSATION} FROM conversations WHERE state = $1 ORDER BY COALESCE(queued_at, created_at), created_at, session_id`,
      [state],
    );
  }

  async appendTranscript(entry: NewTranscriptEntry): Promise<TranscriptEntry> {
    const row = await this.row<{ seq: number }>(
      'INSERT INTO transcript (session_id, role, text, reply, agent_id, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq',
      [entry.sessionId, entry.role, entry.text, json(entry.reply), entry.agentId ?? null, entry.at],
    );
    const { reply, agentId, ...rest } = entry;
    return {
      ...rest,
      seq: row?.seq as number,
      ...(reply !== undefined && { reply }),
      ...(agentId !== undefined && { agentId }),
    };
  }

  async transcript(sessionId: string, options: { limit?: number } = {}): Promise<TranscriptEntry[]> {
    const rows = await this.rows<EntryRow>(
      `SELECT * FROM (SELECT ${ENTRY} FROM transcript WHERE session_id = $1 ORDER BY seq DESC LIMIT $2) t ORDER BY seq`,
      [sessionId, options.limit ?? null],
    );
    return rows.map(entryFrom);
  }

  async createHandoff(handoff: NewHandoff): Promise<Handoff> {
    const row = await this.row<Handoff>(
      `INSERT INTO handoffs (session_id, reason, region, status, requested_at) VALUES ($1, $2, $3, 'pending', $4) RETURNING ${HANDOFF}`,
      [handoff.sessionId, handoff.reason, handoff.region, handoff.requestedAt],
    );
    return row as Handoff;
  }

  async updateHandoff(id: number, patch: HandoffPatch): Promise<Handoff> {
    // A patch changes only the fields it names, and the row comes back: no read first.
    const named = (key: keyof HandoffPatch) => key in patch && patch[key] !== undefined;
    const row = await this.row<Handoff>(
      `UPDATE handoffs SET
         status = CASE WHEN $2 THEN $3 ELSE status END,
         agent_id = CASE WHEN $4 THEN $5 ELSE agent_id END,
         assigned_at = CASE WHEN $6 THEN $7::bigint ELSE assigned_at END,
         ended_at = CASE WHEN $8 THEN $9::bigint ELSE ended_at END,
         resolution = CASE WHEN $10 THEN $11 ELSE resolution END
       WHERE id = $1 RETURNING ${HANDOFF}`,
      [
        id,
        named('status'),
        patch.status ?? null,
        named('agentId'),
        patch.agentId ?? null,
        named('assignedAt'),
        patch.assignedAt ?? null,
        named('endedAt'),
        patch.endedAt ?? null,
        named('resolution'),
        patch.resolution ?? null,
      ],
    );
    if (!row) throw new HlError('HL_ERR_INTERNAL', [], { cause: new Error(`no handoff ${id}`) });
    return row;
  }

  getHandoff(id: number): Promise<Handoff | undefined> {
    return this.row<Handoff>(`SELECT ${HANDOFF} FROM handoffs WHERE id = $1`, [id]);
  }

  openHandoff(sessionId: string): Promise<Handoff | undefined> {
    return this.row<Handoff>(
      `SELECT ${HANDOFF} FROM handoffs WHERE session_id = $1 AND status IN ('pending', 'assigned') ORDER BY id DESC LIMIT 1`,
      [sessionId],
    );
  }

  latestHandoff(sessionId: string): Promise<Handoff | undefined> {
    return this.row<Handoff>(`SELECT ${HANDOFF} FROM handoffs WHERE session_id = $1 ORDER BY id DESC LIMIT 1`, [sessionId]);
  }

  async createTicket(ticket: NewTicket): Promise<Ticket> {
    const row = await this.row<TicketRow>(
      `INSERT INTO tickets (session_id, phone, question, region, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'open', $5, $5) RETURNING ${TICKET}`,
      [ticket.sessionId, ticket.phone, ticket.question, ticket.region, ticket.createdAt],
    );
    return ticketFrom(row as TicketRow);
  }

  async getTicket(id: string): Promise<Ticket | undefined> {
    const seq = ticketSeq(id);
    const row = seq === undefined ? undefined : await this.row<TicketRow>(`SELECT ${TICKET} FROM tickets WHERE seq = $1`, [seq]);
    const ticket = row && ticketFrom(row);
    return ticket?.id === id ? ticket : undefined;
  }

  async listTickets(status?: TicketState, options: { limit?: number } = {}): Promise<Ticket[]> {
    const rows = await this.rows<TicketRow>(
      `SELECT ${TICKET} FROM tickets WHERE ($1::text IS NULL OR status = $1) ORDER BY seq DESC LIMIT $2`,
      [status ?? null, options.limit ?? null],
    );
    return rows.map(ticketFrom);
  }

  claimTicket(id: string, agentId: string, at: number): Promise<Ticket> {
    return this.changeTicket(id, { event: 'ticket.claimed', agentId }, at);
  }

  releaseTicket(id: string, at: number): Promise<Ticket> {
    return this.changeTicket(id, { event: 'ticket.released' }, at);
  }

  closeTicket(id: string, resolution: string, at: number): Promise<Ticket> {
    return this.changeTicket(id, { event: 'ticket.closed', resolution }, at);
  }

  /** Called inside a unit (the store makes one for a change outside any): the row is locked from read to write. */
  private async changeTicket(id: string, change: TicketChange, at: number): Promise<Ticket> {
    const seq = ticketSeq(id);
    const row = seq === undefined ? undefined : await this.row<TicketRow>(`SELECT ${TICKET} FROM tickets WHERE seq = $1 FOR UPDATE`, [seq]);
    const current = row && ticketFrom(row);
    const next = applyTicketChange(current?.id === id ? current : undefined, id, change, at);
    await this.query('UPDATE tickets SET status = $2, claimed_by = $3, resolution = $4, updated_at = $5 WHERE seq = $1', [
      seq,
      next.status,
      next.claimedBy,
      next.resolution,
      next.updatedAt,
    ]);
    return next;
  }

  getSession(sessionId: string): Promise<SessionRow | undefined> {
    return this.row<SessionRow>('SELECT state, updated_at AS "updatedAt" FROM dialogue_sessions WHERE session_id = $1', [sessionId]);
  }

  async putSession(sessionId: string, state: string, at: number): Promise<void> {
    await this.query(
      `INSERT INTO dialogue_sessions (session_id, state, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (session_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      [sessionId, state, at],
    );
  }

  async pruneSessions(before: number): Promise<number> {
    return (await this.query('DELETE FROM dialogue_sessions WHERE updated_at < $1', [before])).rowCount ?? 0;
  }

  async addFeedback(f: NewFeedback): Promise<Feedback> {
    const row = await this.row<{ id: number }>(
      `INSERT INTO feedback (session_id, channel, kind, target, vote, score, reason, comment, notice, clause, intent, agent_id, region, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (session_id, kind, target) DO NOTHING RETURNING id`,
      [
        f.sessionId,
        f.channel,
        f.kind,
        f.target,
        f.vote,
        f.score,
        f.reason,
        f.comment,
        f.notice,
        f.clause,
        f.intent,
        f.agentId,
        f.region,
        f.at,
      ],
    );
    if (!row) throw new HlError('HL_ERR_FEEDBACK_EXISTS');
    return { ...f, id: row.id };
  }

  listFeedback(filter: FeedbackFilter = {}): Promise<Feedback[]> {
    return this.rows<Feedback>(
      `SELECT ${FEEDBACK} FROM feedback WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR vote = $2)
       ORDER BY id DESC LIMIT $3`,
      [filter.kind ?? null, filter.vote ?? null, filter.limit ?? null],
    );
  }

  async addMiss(m: NewMiss): Promise<Miss> {
    const row = await this.row<{ id: number }>(
      `INSERT INTO misses (kind, session_id, channel, text, reply, reply_type, region, intent, rule, confidence, candidates, detail,
         comment, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
      [
        m.kind,
        m.sessionId,
        m.channel,
        m.text,
        m.reply,
        m.replyType,
        m.region,
        m.intent,
        m.rule,
        m.confidence,
        JSON.stringify(m.candidates),
        m.detail,
        m.comment,
        m.at,
      ],
    );
    return { ...m, id: (row as { id: number }).id };
  }

  listMisses(filter: MissFilter = {}): Promise<Miss[]> {
    return this.rows<Miss>(
      `SELECT ${MISS} FROM misses WHERE at >= $1 AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR region = $3)
         AND ($4::text IS NULL OR intent = $4) AND ($6::bigint[] IS NULL OR id = ANY($6)) ORDER BY id DESC LIMIT $5`,
      [filter.since ?? 0, filter.kind ?? null, filter.region ?? null, filter.intent ?? null, filter.limit ?? null, filter.ids ?? null],
    );
  }

  async dailyReplies(since: number): Promise<DailyReplies[]> {
    const rows = await this.rows<Omit<DailyReplies, 'day'> & { day: number }>(
      `SELECT ${day('t.at')} AS day, coalesce(c.channel, 'api') AS channel, t.reply->>'type' AS type, count(*) AS n
       FROM transcript t LEFT JOIN conversations c ON c.session_id = t.session_id
       WHERE t.at >= $1 AND t.role = 'bot' AND t.reply->>'type' IS NOT NULL
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [since],
    );
    return rows.map((r) => ({ ...r, day: dayIso(r.day) }));
  }

  async dailyFeedback(since: number): Promise<DailyFeedback[]> {
    const rows = await this.rows<Omit<DailyFeedback, 'day'> & { day: number }>(
      `SELECT ${day('at')} AS day, count(*) FILTER (WHERE vote = 'up') AS up, count(*) FILTER (WHERE vote = 'down') AS down,
         count(score) AS ratings, coalesce(sum(score), 0) AS "scoreSum", count(*) FILTER (WHERE score <= 3) AS low
       FROM feedback WHERE at >= $1 GROUP BY 1 ORDER BY 1`,
      [since],
    );
    return rows.map((r) => ({ ...r, day: dayIso(r.day) }));
  }

  async appendEvent(event: StateEvent): Promise<void> {
    await this.query('INSERT INTO state_events (session_id, event, from_state, to_state, at, data) VALUES ($1, $2, $3, $4, $5, $6)', [
      event.sessionId,
      event.event,
      event.from,
      event.to,
      event.at,
      json(event.data),
    ]);
  }

  /**
   * The desk's lock is an advisory lock held to the end of the transaction: every instance's desk runs take it, those
   * that change the queue or the agents exclusively — so one queued chat is assigned once, whoever asks (issue 15).
   */
  async lockDesk(mode: 'shared' | 'exclusive'): Promise<DeskRow | null> {
    if (mode === 'shared') {
      await this.query('SELECT pg_advisory_xact_lock_shared($1)', [DESK_LOCK]);
      return null;
    }
    await this.query('SELECT pg_advisory_xact_lock($1)', [DESK_LOCK]);
    return (await this.row<DeskRow>('SELECT version, state FROM desk_state WHERE id = 1', [])) ?? null;
  }

  async saveDesk(state: string): Promise<number> {
    const row = await this.row<{ version: number }>(
      `INSERT INTO desk_state (id, version, state) VALUES (1, 1, $1)
       ON CONFLICT (id) DO UPDATE SET version = desk_state.version + 1, state = excluded.state RETURNING version`,
      [state],
    );
    return row?.version as number;
  }

  async events(sessionId: string): Promise<StateEvent[]> {
    return (await this.rows<EventRow>(`SELECT ${EVENT} FROM state_events WHERE session_id = $1 ORDER BY id`, [sessionId])).map(eventFrom);
  }
}

export interface PgStoreOptions {
  /** postgres://… (DATABASE_URL). */
  url: string;
  /** The schema the tables live in (created if missing); tests use a fresh one each. Default `public`. */
  schema?: string;
  /** Connections at most; default 10. */
  max?: number;
}

/**
 * The store on PostgreSQL (issue 15): what several instances share. A unit is one transaction on a connection of
 * its own; units of this process run one at a time, in the order asked, as in the other stores (another instance's
 * run beside them: PostgreSQL's own isolation, and the desk's lock, keep them apart). `groupCommit` commits each
 * unit on its own: the server itself groups the WAL flushes of concurrent commits. Reads outside a unit see what
 * has committed.
 */
export class PgStore implements Store {
  readonly kind = 'postgres' as const;
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly data: PgData;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly sent = { statements: 0 };

  private constructor(pool: pg.Pool, schema: string) {
    this.pool = pool;
    this.schema = schema;
    this.data = new PgData(pool, this.sent);
  }

  /** Statements sent to the server since start, transactions' BEGIN and COMMIT included. */
  get statements(): number {
    return this.sent.statements;
  }

  /** Connects, brings the schema up to date (under an advisory lock) and returns the store. */
  static async open(options: PgStoreOptions): Promise<PgStore> {
    const schema = options.schema ?? 'public';
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.max ?? 10,
      types,
      // Every connection finds the tables in the store's schema.
      options: `-c search_path=${quoteSchema(schema)}`,
      // A server that does not answer is said at once (HL_ERR_UNAVAILABLE), not waited for.
      connectionTimeoutMillis: 2000,
      query_timeout: 10_000,
    });
    // An idle connection the server dropped is an event on the pool, not a crash of the process.
    pool.on('error', () => {});
    try {
      await migrate(pool, schema);
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PgStore(pool, schema);
  }

  /**
   * A secret every instance must share (the one that signs chat resume tokens, when SESSION_SECRET is not set):
   * the first instance to ask keeps `made`, the others read it.
   */
  async secret(name: string, made: string): Promise<string> {
    await this.pool.query('INSERT INTO service_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, made]);
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM service_secrets WHERE name = $1', [name]);
    return rows[0]?.value as string;
  }

  /** Drops a schema and everything in it (tests clean up their fresh schemas with it). */
  async dropSchema(schema: string): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS ${quoteSchema(schema)} CASCADE`);
  }

  /** Whether the server answers (readiness). */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  private queued<T>(job: () => Promise<T>): Promise<T> {
    const run = this.tail.then(job);
    this.tail = run.catch(() => {});
    return run;
  }

  atomic<T>(fn: (tx: StoreData) => Promise<T>): Promise<T> {
    return this.queued(async () => {
      const client = await guarded(() => this.pool.connect());
      let broken: unknown;
      try {
        let value: T;
        try {
          this.sent.statements++;
          await client.query('BEGIN');
          value = await fn(new PgData(client, this.sent));
        } catch (err) {
          await client.query('ROLLBACK').catch((e: unknown) => {
            broken = e;
          });
          if (unreachable(err)) throw new HlError('HL_ERR_UNAVAILABLE', ['PostgreSQL'], { cause: err });
          throw err;
        }
        try {
          this.sent.statements++;
          await client.query('COMMIT');
        } catch (cause) {
          broken = cause;
          throw new HlError('HL_ERR_INTERNAL', [], { cause });
        }
        return value;
      } finally {
        // A connection whose transaction could not be ended is not given to the next unit.
        client.release(broken instanceof Error ? broken : undefined);
      }
    });
  }

  async groupCommit<T>(fn: (tx: StoreData) => Promise<T>): Promise<Committing<T>> {
    return { value: await this.atomic(fn), committed: Promise.resolve() };
  }

  async close(): Promise<void> {
    await this.queued(async () => {});
    await this.pool.end();
  }

  putConversation(c: Conversation) {
    return this.atomic((tx) => tx.putConversation(c));
  }
  getConversation(sessionId: string) {
    return this.data.getConversation(sessionId);
  }
  loadConversation(sessionId: string) {
    return this.data.loadConversation(sessionId);
  }
  listConversations(state: ConversationState) {
    return this.data.listConversations(state);
  }
  appendTranscript(entry: NewTranscriptEntry) {
    return this.atomic((tx) => tx.appendTranscript(entry));
  }
  transcript(sessionId: string, options?: { limit?: number }) {
    return this.data.transcript(sessionId, options);
  }
  createHandoff(handoff: NewHandoff) {
    return this.atomic((tx) => tx.createHandoff(handoff));
  }
  updateHandoff(id: number, patch: HandoffPatch) {
    return this.atomic((tx) => tx.updateHandoff(id, patch));
  }
  getHandoff(id: number) {
    return this.data.getHandoff(id);
  }
  openHandoff(sessionId: string) {
    return this.data.openHandoff(sessionId);
  }
  latestHandoff(sessionId: string) {
    return this.data.latestHandoff(sessionId);
  }
  createTicket(ticket: NewTicket) {
    return this.atomic((tx) => tx.createTicket(ticket));
  }
  getTicket(id: string) {
    return this.data.getTicket(id);
  }
  listTickets(status?: TicketState, options?: { limit?: number }) {
    return this.data.listTickets(status, options);
  }
  claimTicket(id: string, agentId: string, at: number) {
    return this.atomic((tx) => tx.claimTicket(id, agentId, at));
  }
  releaseTicket(id: string, at: number) {
    return this.atomic((tx) => tx.releaseTicket(id, at));
  }
  closeTicket(id: string, resolution: string, at: number) {
    return this.atomic((tx) => tx.closeTicket(id, resolution, at));
  }
  getSession(sessionId: string) {
    return this.data.getSession(sessionId);
  }
  putSession(sessionId: string, state: string, at: number) {
    return this.atomic((tx) => tx.putSession(sessionId, state, at));
  }
  pruneSessions(before: number) {
    return this.atomic((tx) => tx.pruneSessions(before));
  }
  addFeedback(feedback: NewFeedback) {
    return this.atomic((tx) => tx.addFeedback(feedback));
  }
  listFeedback(filter?: FeedbackFilter) {
    return this.data.listFeedback(filter);
  }
  addMiss(miss: NewMiss) {
    return this.atomic((tx) => tx.addMiss(miss));
  }
  listMisses(filter?: MissFilter) {
    return this.data.listMisses(filter);
  }
  dailyReplies(since: number) {
    return this.data.dailyReplies(since);
  }
  dailyFeedback(since: number) {
    return this.data.dailyFeedback(since);
  }
  appendEvent(event: StateEvent) {
    return this.atomic((tx) => tx.appendEvent(event));
  }
  events(sessionId: string) {
    return this.data.events(sessionId);
  }
  lockDesk(mode: 'shared' | 'exclusive') {
    return this.data.lockDesk(mode);
  }
  saveDesk(state: string) {
    return this.atomic((tx) => tx.saveDesk(state));
  }
}
