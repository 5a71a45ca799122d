import type { ConversationEvent, ConversationState, TicketEvent, TicketState } from '../handoff/machine.js';
import type { DailyFeedback, DailyReplies, Miss, MissFilter, NewMiss } from '../ops/types.js';

/**
 * What the handoff desk keeps: conversations, their transcripts, handoff records, callback tickets and
 * the log of every state change. One asynchronous interface, three implementations (memory for tests, SQLite
 * for one instance, PostgreSQL for several), and `CoalescingStore` in front of any (a unit reads a conversation
 * once and writes it once). Times are epoch milliseconds passed in by the caller; the store never reads the
 * clock. A write outside any unit has committed when its promise resolves.
 */

export type Channel = 'web' | 'wechat' | 'api';
export type Role = 'user' | 'bot' | 'agent' | 'system';
export type HandoffStatus = 'pending' | 'assigned' | 'resolved' | 'cancelled' | 'unavailable' | 'returned';

export interface Conversation {
  sessionId: string;
  channel: Channel;
  region: string | null;
  state: ConversationState;
  agentId: string | null;
  /** When the conversation last joined the queue (for the wait limit); null when never queued. */
  queuedAt: number | null;
  createdAt: number;
  updatedAt: number;
  lastUserText: string | null;
}

export interface TranscriptEntry {
  /** Store-assigned, increasing across the store (so also within a session). */
  seq: number;
  sessionId: string;
  role: Role;
  text: string;
  /** The bot's full reply (type, citations …), kept as JSON. */
  reply?: unknown;
  agentId?: string;
  at: number;
}

export type NewTranscriptEntry = Omit<TranscriptEntry, 'seq'>;

export interface Handoff {
  /** Store-assigned. */
  id: number;
  sessionId: string;
  reason: string;
  region: string | null;
  status: HandoffStatus;
  agentId: string | null;
  requestedAt: number;
  assignedAt: number | null;
  endedAt: number | null;
  resolution: string | null;
}

export type NewHandoff = Pick<Handoff, 'sessionId' | 'reason' | 'region' | 'requestedAt'>;
export type HandoffPatch = Partial<Pick<Handoff, 'status' | 'agentId' | 'assignedAt' | 'endedAt' | 'resolution'>>;

export interface Ticket {
  /** Shown to the user: `T` and the store's sequence, zero-padded to six digits (`T000123`); never reused. */
  id: string;
  sessionId: string;
  /** Normalised (handoff/phone.ts). */
  phone: string;
  question: string;
  region: string | null;
  status: TicketState;
  claimedBy: string | null;
  resolution: string | null;
  createdAt: number;
  updatedAt: number;
}

export type NewTicket = Pick<Ticket, 'sessionId' | 'phone' | 'question' | 'region' | 'createdAt'>;

/** Why a citizen found an answer poor (👎): 没回答我的问题, 信息不对, 看不懂, 其他. */
export type FeedbackReason = 'unanswered' | 'wrong' | 'unclear' | 'other';

/**
 * A citizen's verdict (好差评): 👍/👎 on one bot answer (`kind` answer, `target` the answer's transcript seq),
 * or 1–5 on a chat with a person once it ended (`kind` chat, `target` the handoff id). One per target and session.
 */
export interface Feedback {
  /** Store-assigned. */
  id: number;
  sessionId: string;
  channel: Channel;
  kind: 'answer' | 'chat';
  target: number;
  /** answer: up or down. */
  vote: 'up' | 'down' | null;
  /** chat: 1 非常不满意 … 5 非常满意. */
  score: number | null;
  reason: FeedbackReason | null;
  comment: string | null;
  /** What it was about: the answer's first source and its intent, or the agent who had the chat. */
  notice: string | null;
  clause: string | null;
  intent: string | null;
  agentId: string | null;
  region: string | null;
  at: number;
}

export type NewFeedback = Omit<Feedback, 'id'>;

export interface StateEvent {
  sessionId: string;
  event: ConversationEvent | TicketEvent;
  from: ConversationState | TicketState;
  to: ConversationState | TicketState;
  at: number;
  data?: Record<string, unknown>;
}

/** A session's dialogue state as stored: JSON, with when it was written. */
export interface SessionRow {
  state: string;
  updatedAt: number;
}

/** What a unit run by `groupCommit` returned, and when it is safe to say so. */
export interface Committing<T> {
  value: T;
  /** Resolves once the unit has committed; rejects with HL_ERR_INTERNAL when its transaction failed (nothing of it kept). */
  committed: Promise<void>;
}

/**
 * The records, read and written: what a unit of work is given (`Store.atomic`, `Store.groupCommit`) and what the
 * store itself offers outside any unit, where each write is its own transaction. Asynchronous, so a store may be a
 * server (PostgreSQL) as well as a file (SQLite) or memory (issue 15).
 */
export interface StoreData {
  putConversation(conversation: Conversation): Promise<void>;
  getConversation(sessionId: string): Promise<Conversation | undefined>;
  /** The conversation and its dialogue state in one read (a turn needs both). */
  loadConversation(sessionId: string): Promise<{ conversation: Conversation | undefined; session: SessionRow | undefined }>;
  /** Conversations in `state`, oldest first (by `queuedAt`, then `createdAt`). */
  listConversations(state: ConversationState): Promise<Conversation[]>;

  appendTranscript(entry: NewTranscriptEntry): Promise<TranscriptEntry>;
  /** A session's transcript in order; with `limit`, only the latest `limit` entries (still in order). */
  transcript(sessionId: string, options?: { limit?: number }): Promise<TranscriptEntry[]>;

  createHandoff(handoff: NewHandoff): Promise<Handoff>;
  /** HL_ERR_INTERNAL when there is no handoff `id`. */
  updateHandoff(id: number, patch: HandoffPatch): Promise<Handoff>;
  getHandoff(id: number): Promise<Handoff | undefined>;
  /** The session's latest handoff still `pending` or `assigned`. */
  openHandoff(sessionId: string): Promise<Handoff | undefined>;
  /** The session's latest handoff, whatever its status. */
  latestHandoff(sessionId: string): Promise<Handoff | undefined>;

  createTicket(ticket: NewTicket): Promise<Ticket>;
  getTicket(id: string): Promise<Ticket | undefined>;
  /** Newest first; all statuses when `status` is omitted. */
  listTickets(status?: TicketState, options?: { limit?: number }): Promise<Ticket[]>;
  /** `ticket.claimed`: only an open ticket (else HL_ERR_BAD_TRANSITION); unknown id: HL_ERR_TICKET_NOT_FOUND. */
  claimTicket(id: string, agentId: string, at: number): Promise<Ticket>;
  /** `ticket.released`: a claimed ticket goes back to open. */
  releaseTicket(id: string, at: number): Promise<Ticket>;
  /** `ticket.closed`: from open or claimed, with a resolution. */
  closeTicket(id: string, resolution: string, at: number): Promise<Ticket>;

  /** A conversation's dialogue state (what the bot remembers between turns) as JSON, with when it was written. */
  getSession(sessionId: string): Promise<SessionRow | undefined>;
  putSession(sessionId: string, state: string, at: number): Promise<void>;
  /** Forgets dialogue states not written since `before`; returns how many. */
  pruneSessions(before: number): Promise<number>;

  /** HL_ERR_FEEDBACK_EXISTS when the session already gave its verdict on that target. */
  addFeedback(feedback: NewFeedback): Promise<Feedback>;
  /** Newest first. */
  listFeedback(filter?: FeedbackFilter): Promise<Feedback[]>;

  /** A miss the operators' desk shows (issue 16): a question the assistant could not answer well. */
  addMiss(miss: NewMiss): Promise<Miss>;
  /** Newest first. */
  listMisses(filter?: MissFilter): Promise<Miss[]>;
  /** Bot replies since `since` (epoch ms) per Asia/Shanghai day, channel and reply type. */
  dailyReplies(since: number): Promise<DailyReplies[]>;
  /** 👍/👎 and chat ratings since `since` per Asia/Shanghai day. */
  dailyFeedback(since: number): Promise<DailyFeedback[]>;

  appendEvent(event: StateEvent): Promise<void>;
  /** A session's state events in the order they were appended. */
  events(sessionId: string): Promise<StateEvent[]>;

  /**
   * The handoff desk's state, shared by the instances of the service (issue 15). Inside a unit: locks it until the
   * unit ends — `exclusive` for a run that may change the queue or the agents (returns the state as last saved, or
   * null before the first save), `shared` for one that only needs it not to change meanwhile (returns null). A store
   * one process owns has nothing to wait for.
   */
  lockDesk(mode: 'shared' | 'exclusive'): Promise<DeskRow | null>;
  /** Saves the desk's state (under the exclusive lock); returns its new version. */
  saveDesk(state: string): Promise<number>;
}

/** The desk's state as saved: JSON, and a version that grows with each save. */
export interface DeskRow {
  version: number;
  state: string;
}

export interface FeedbackFilter {
  kind?: Feedback['kind'];
  vote?: 'up' | 'down';
  limit?: number;
}

/** The names of the `StoreData` methods that only read. */
export const READ_METHODS = [
  'getConversation',
  'loadConversation',
  'listConversations',
  'transcript',
  'getHandoff',
  'openHandoff',
  'latestHandoff',
  'getTicket',
  'listTickets',
  'getSession',
  'listFeedback',
  'listMisses',
  'dailyReplies',
  'dailyFeedback',
  'events',
  'lockDesk',
] as const satisfies readonly (keyof StoreData)[];

/** The names of the `StoreData` methods that write. */
export const WRITE_METHODS = [
  'putConversation',
  'appendTranscript',
  'createHandoff',
  'updateHandoff',
  'createTicket',
  'claimTicket',
  'releaseTicket',
  'closeTicket',
  'putSession',
  'pruneSessions',
  'addFeedback',
  'addMiss',
  'appendEvent',
  'saveDesk',
] as const satisfies readonly (keyof StoreData)[];

export interface Store extends StoreData {
  readonly kind: 'memory' | 'sqlite' | 'postgres';
  /**
   * Runs `fn` as one transaction on what it is given, and commits it (with the units of `groupCommit` still
   * waiting, on a store that groups them); a throw rolls its writes back and is rethrown. Units do not overlap: the
   * store runs one at a time, in the order asked, and a write made outside any unit waits its turn too.
   */
  atomic<T>(fn: (tx: StoreData) => Promise<T>): Promise<T>;
  /**
   * Group commit: runs `fn` as one unit (a throw rolls back its writes alone and is rethrown) and commits it with
   * the other units of the same tick, in one transaction, once the tick's work is done (issue 14) — or on its own,
   * where the server groups the flushes of concurrent commits itself (PostgreSQL). Resolves once the unit has run;
   * nothing it wrote may be acknowledged before `committed` resolves.
   */
  groupCommit<T>(fn: (tx: StoreData) => Promise<T>): Promise<Committing<T>>;
  /** Commits what waits for a group commit, then closes. */
  close(): Promise<void>;
}
