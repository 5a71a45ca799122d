import { HlError } from '../errors.js';
import type { ConversationState, TicketState } from '../handoff/machine.js';
import { shanghaiDay } from '../ops/day.js';
import type { DailyFeedback, DailyReplies, Miss, MissFilter, NewMiss } from '../ops/types.js';
import { type SyncEngine, SyncStore } from './sync-store.js';
import { applyTicketChange, type TicketChange, ticketId } from './tickets.js';
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

/** Deep copy through JSON, as the SQLite store round-trips: callers never share objects with the store. */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function oldestFirst(a: Conversation, b: Conversation): number {
  return (a.queuedAt ?? a.createdAt) - (b.queuedAt ?? b.createdAt) || a.createdAt - b.createdAt;
}

/** What a transaction puts back when it is rolled back. Records are replaced, never changed in place: shallow copies do. */
interface Snapshot {
  conversations: [string, Conversation][];
  sessions: [string, SessionRow][];
  handoffs: Handoff[];
  tickets: Ticket[];
  feedback: number;
  misses: number;
  entries: number;
  events: number;
  desk: DeskRow | null;
}

/** The records in memory, with a transaction and its savepoints as a stack of snapshots. */
class MemoryEngine implements SyncEngine {
  private readonly conversations = new Map<string, Conversation>();
  private readonly entries: TranscriptEntry[] = [];
  private readonly handoffs: Handoff[] = [];
  private readonly tickets: Ticket[] = [];
  private readonly stateEvents: StateEvent[] = [];
  private readonly feedback: Feedback[] = [];
  private readonly misses: Miss[] = [];
  private readonly sessions = new Map<string, SessionRow>();
  private desk: DeskRow | null = null;
  private closed = false;
  /** The open transaction's snapshot, then one per savepoint. */
  private readonly snapshots: Snapshot[] = [];

  inTransaction(): boolean {
    return this.snapshots.length > 0;
  }

  begin(): void {
    this.open().snapshots.push(this.snapshot());
  }

  commit(): void {
    this.snapshots.length = 0;
  }

  rollback(): void {
    const first = this.snapshots[0];
    if (first) this.restore(first);
    this.snapshots.length = 0;
  }

  savepoint(): void {
    this.snapshots.push(this.snapshot());
  }

  release(): void {
    this.snapshots.pop();
  }

  rollbackToSavepoint(): void {
    const last = this.snapshots.at(-1);
    if (last) this.restore(last);
  }

  committed(): void {}

  private snapshot(): Snapshot {
    return {
      conversations: [...this.conversations],
      sessions: [...this.sessions],
      handoffs: [...this.handoffs],
      tickets: [...this.tickets],
      feedback: this.feedback.length,
      misses: this.misses.length,
      entries: this.entries.length,
      events: this.stateEvents.length,
      desk: this.desk,
    };
  }

  private restore(s: Snapshot): void {
    this.conversations.clear();
    for (const [k, v] of s.conversations) this.conversations.set(k, v);
    this.sessions.clear();
    for (const [k, v] of s.sessions) this.sessions.set(k, v);
    this.handoffs.splice(0, this.handoffs.length, ...s.handoffs);
    this.tickets.splice(0, this.tickets.length, ...s.tickets);
    this.feedback.length = s.feedback;
    this.misses.length = s.misses;
    this.entries.length = s.entries;
    this.stateEvents.length = s.events;
    this.desk = s.desk;
  }

  putConversation(conversation: Conversation): void {
    this.open();
    this.conversations.set(conversation.sessionId, copy(conversation));
  }

  getConversation(sessionId: string): Conversation | undefined {
    const c = this.open().conversations.get(sessionId);
    return c && copy(c);
  }

  loadConversation(sessionId: string): { conversation: Conversation | undefined; session: SessionRow | undefined } {
    return { conversation: this.getConversation(sessionId), session: this.getSession(sessionId) };
  }

  listConversations(state: ConversationState): Conversation[] {
    return copy([...this.open().conversations.values()].filter((c) => c.state === state).sort(oldestFirst));
  }

  appendTranscript(entry: NewTranscriptEntry): TranscriptEntry {
    const stored = copy({ ...entry, seq: this.open().entries.length + 1 });
    this.entries.push(stored);
    return copy(stored);
  }

  transcript(sessionId: string, options: { limit?: number } = {}): TranscriptEntry[] {
    const all = this.open().entries.filter((e) => e.sessionId === sessionId);
    return copy(options.limit === undefined ? all : all.slice(Math.max(0, all.length - options.limit)));
  }

  createHandoff(handoff: NewHandoff): Handoff {
    const id = this.open().handoffs.length + 1;
    const stored: Handoff = { ...handoff, id, status: 'pending', agentId: null, assignedAt: null, endedAt: null, resolution: null };
    this.handoffs.push(stored);
    return copy(stored);
  }

  updateHandoff(id: number, patch: HandoffPatch): Handoff {
    const index = this.open().handoffs.findIndex((h) => h.id === id);
    const current = this.handoffs[index];
    if (!current) throw new HlError('HL_ERR_INTERNAL', [], { cause: new Error(`no handoff ${id}`) });
    const next = { ...current, ...patch };
    this.handoffs[index] = next;
    return copy(next);
  }

  getHandoff(id: number): Handoff | undefined {
    const h = this.open().handoffs.find((x) => x.id === id);
    return h && copy(h);
  }

  openHandoff(sessionId: string): Handoff | undefined {
    const h = this.open().handoffs.findLast((x) => x.sessionId === sessionId && (x.status === 'pending' || x.status === 'assigned'));
    return h && copy(h);
  }

  createTicket(ticket: NewTicket): Ticket {
    const id = ticketId(this.open().tickets.length + 1);
    const stored: Ticket = { ...ticket, id, status: 'open', claimedBy: null, resolution: null, updatedAt: ticket.createdAt };
    this.tickets.push(stored);
    return copy(stored);
  }

  getTicket(id: string): Ticket | undefined {
    const t = this.open().tickets.find((x) => x.id === id);
    return t && copy(t);
  }

  listTickets(status?: TicketState, options: { limit?: number } = {}): Ticket[] {
    const list = this.open()
      .tickets.filter((t) => status === undefined || t.status === status)
      .reverse();
    return copy(options.limit === undefined ? list : list.slice(0, options.limit));
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

  latestHandoff(sessionId: string): Handoff | undefined {
    const h = this.open().handoffs.findLast((x) => x.sessionId === sessionId);
    return h && copy(h);
  }

  addFeedback(feedback: NewFeedback): Feedback {
    const taken = this.open().feedback.some(
      (f) => f.sessionId === feedback.sessionId && f.kind === feedback.kind && f.target === feedback.target,
    );
    if (taken) throw new HlError('HL_ERR_FEEDBACK_EXISTS');
    const stored = { ...copy(feedback), id: this.feedback.length + 1 };
    this.feedback.push(stored);
    return copy(stored);
  }

  listFeedback(filter: { kind?: Feedback['kind']; vote?: 'up' | 'down'; limit?: number } = {}): Feedback[] {
    const list = this.open()
      .feedback.filter(
        (f) => (filter.kind === undefined || f.kind === filter.kind) && (filter.vote === undefined || f.vote === filter.vote),
      )
      .reverse();
    return copy(filter.limit === undefined ? list : list.slice(0, filter.limit));
  }

  addMiss(miss: NewMiss): Miss {
    const stored = { ...copy(miss), id: this.open().misses.length + 1 };
    this.misses.push(stored);
    return copy(stored);
  }

  listMisses(filter: MissFilter = {}): Miss[] {
    const list = this.open()
      .misses.filter(
        (m) =>
          (filter.ids === undefined || filter.ids.includes(m.id)) &&
          (filter.since === undefined || m.at >= filter.since) &&
          (filter.kind === undefined || m.kind === filter.kind) &&
          (filter.region === undefined || m.region === filter.region) &&
          (filter.intent === undefined || m.intent === filter.intent),
      )
      .reverse();
    return copy(filter.limit === undefined ? list : list.slice(0, filter.limit));
  }

  dailyReplies(since: number): DailyReplies[] {
    const counts = new Map<string, DailyReplies>();
    for (const e of this.open().entries) {
      const type = (e.reply as { type?: unknown } | null)?.type;
      if (e.role !== 'bot' || e.at < since || typeof type !== 'string') continue;
      const day = shanghaiDay(e.at);
      const channel = this.conversations.get(e.sessionId)?.channel ?? 'api';
      const key = `${day}\u0000${channel}\u0000${type}`;
      const row = counts.get(key) ?? { day, channel, type, n: 0 };
      row.n++;
      counts.set(key, row);
    }
    return [...counts.values()].sort(
      (a, b) => a.day.localeCompare(b.day) || a.channel.localeCompare(b.channel) || a.type.localeCompare(b.type),
    );
  }

  dailyFeedback(since: number): DailyFeedback[] {
    const days = new Map<string, DailyFeedback>();
    for (const f of this.open().feedback) {
      if (f.at < since) continue;
      const day = shanghaiDay(f.at);
      const row = days.get(day) ?? { day, up: 0, down: 0, ratings: 0, scoreSum: 0, low: 0 };
      if (f.vote === 'up') row.up++;
      else if (f.vote === 'down') row.down++;
      if (f.score !== null) {
        row.ratings++;
        row.scoreSum += f.score;
        if (f.score <= 3) row.low++;
      }
      days.set(day, row);
    }
    return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
  }

  getSession(sessionId: string): SessionRow | undefined {
    const s = this.open().sessions.get(sessionId);
    return s && { ...s };
  }

  putSession(sessionId: string, state: string, at: number): void {
    this.open().sessions.set(sessionId, { state, updatedAt: at });
  }

  pruneSessions(before: number): number {
    let n = 0;
    for (const [id, s] of this.open().sessions) if (s.updatedAt < before && this.sessions.delete(id)) n++;
    return n;
  }

  appendEvent(event: StateEvent): void {
    this.open().stateEvents.push(copy(event));
  }

  events(sessionId: string): StateEvent[] {
    return copy(this.open().stateEvents.filter((e) => e.sessionId === sessionId));
  }

  lockDesk(mode: 'shared' | 'exclusive'): DeskRow | null {
    const desk = this.open().desk;
    return mode === 'exclusive' && desk ? { ...desk } : null;
  }

  saveDesk(state: string): number {
    const version = (this.open().desk?.version ?? 0) + 1;
    this.desk = { version, state };
    return version;
  }

  close(): void {
    this.closed = true;
  }

  private changeTicket(id: string, change: TicketChange, at: number): Ticket {
    const index = this.open().tickets.findIndex((t) => t.id === id);
    const next = applyTicketChange(this.tickets[index], id, change, at);
    this.tickets[index] = next;
    return copy(next);
  }

  private open(): this {
    if (this.closed) throw new HlError('HL_ERR_INTERNAL', [], { cause: new Error('the store is closed') });
    return this;
  }
}

/** The store in memory, for tests: same behaviour as the SQLite store, gone with the process. */
export class MemoryStore extends SyncStore {
  constructor() {
    super('memory', new MemoryEngine());
  }
}
