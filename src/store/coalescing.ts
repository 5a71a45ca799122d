import type { ConversationState, TicketState } from '../handoff/machine.js';
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

/** What one unit has read and written of conversations and dialogue states (null: read, and there is none). */
class Unit {
  readonly conversations = new Map<string, Conversation | null>();
  readonly sessions = new Map<string, SessionRow | null>();
  readonly dirtyConversations = new Set<string>();
  readonly dirtySessions = new Set<string>();
  /** Each session's latest handoff, when this unit created it (so it is the latest), as last written. */
  readonly handoffs = new Map<string, Handoff>();

  copy(): Unit {
    const u = new Unit();
    for (const [k, v] of this.handoffs) u.handoffs.set(k, v);
    for (const [k, v] of this.conversations) u.conversations.set(k, v);
    for (const [k, v] of this.sessions) u.sessions.set(k, v);
    for (const k of this.dirtyConversations) u.dirtyConversations.add(k);
    for (const k of this.dirtySessions) u.dirtySessions.add(k);
    return u;
  }
}

/**
 * A store in front of another that makes a unit (`atomic`, `groupCommit`) read each conversation once and write it
 * once (issue 14: a chat turn read its conversation row three times and wrote it twice). Inside a unit the first
 * read of a conversation fetches its dialogue state with it, in one statement; later reads are answered from
 * what the unit read or wrote (a handoff it created too), and the writes of conversations and dialogue states are
 * kept and made once, when the unit ends, in its transaction. Outside a unit every call goes straight through.
 */
export class CoalescingStore implements Store {
  readonly kind: Store['kind'];
  private unit: Unit | null = null;

  constructor(readonly inner: Store) {
    this.kind = inner.kind;
  }

  atomic<T>(fn: () => T): T {
    return this.inner.atomic(() => this.within(fn));
  }

  groupCommit<T>(fn: () => T): Committing<T> {
    return this.inner.groupCommit(() => this.within(fn));
  }

  settled(): Promise<void> {
    // A unit's writes are made when it ends, inside the inner store's unit: they settle with it.
    return this.inner.settled();
  }

  private within<T>(fn: () => T): T {
    const outer = this.unit;
    if (outer) {
      // Nested: part of the outer unit; a throw undoes what it changed (the inner store rolls back its savepoint).
      const saved = outer.copy();
      try {
        return fn();
      } catch (err) {
        this.unit = saved;
        throw err;
      }
    }
    this.unit = new Unit();
    try {
      const value = fn();
      // A nested unit that threw may have put back an earlier copy: flush the current one.
      this.flush(this.unit);
      return value;
    } finally {
      this.unit = null;
    }
  }

  /** Writes what the unit changed (once per row) and keeps it as read. */
  private flush(unit: Unit): void {
    for (const id of unit.dirtyConversations) this.inner.putConversation(unit.conversations.get(id) as Conversation);
    unit.dirtyConversations.clear();
    for (const id of unit.dirtySessions) {
      const row = unit.sessions.get(id) as SessionRow;
      this.inner.putSession(id, row.state, row.updatedAt);
    }
    unit.dirtySessions.clear();
  }

  /** Reads the conversation and its dialogue state in one statement, keeping what the unit already has. */
  private load(unit: Unit, sessionId: string): void {
    const { conversation, session } = this.inner.loadConversation(sessionId);
    if (!unit.conversations.has(sessionId)) unit.conversations.set(sessionId, conversation ?? null);
    if (!unit.sessions.has(sessionId)) unit.sessions.set(sessionId, session ?? null);
  }

  putConversation(conversation: Conversation): void {
    const unit = this.unit;
    if (!unit) {
      this.inner.putConversation(conversation);
      return;
    }
    unit.conversations.set(conversation.sessionId, { ...conversation });
    unit.dirtyConversations.add(conversation.sessionId);
  }

  getConversation(sessionId: string): Conversation | undefined {
    const unit = this.unit;
    if (!unit) return this.inner.getConversation(sessionId);
    if (!unit.conversations.has(sessionId)) this.load(unit, sessionId);
    const c = unit.conversations.get(sessionId);
    return c ? { ...c } : undefined;
  }

  loadConversation(sessionId: string): { conversation: Conversation | undefined; session: SessionRow | undefined } {
    const unit = this.unit;
    if (!unit) return this.inner.loadConversation(sessionId);
    return { conversation: this.getConversation(sessionId), session: this.getSession(sessionId) };
  }

  listConversations(state: ConversationState): Conversation[] {
    if (this.unit) this.flush(this.unit);
    return this.inner.listConversations(state);
  }

  getSession(sessionId: string): SessionRow | undefined {
    const unit = this.unit;
    if (!unit) return this.inner.getSession(sessionId);
    if (!unit.sessions.has(sessionId)) this.load(unit, sessionId);
    const s = unit.sessions.get(sessionId);
    return s ? { ...s } : undefined;
  }

  putSession(sessionId: string, state: string, at: number): void {
    const unit = this.unit;
    if (!unit) {
      this.inner.putSession(sessionId, state, at);
      return;
    }
    unit.sessions.set(sessionId, { state, updatedAt: at });
    unit.dirtySessions.add(sessionId);
  }

  pruneSessions(before: number): number {
    const unit = this.unit;
    if (unit) {
      this.flush(unit);
      unit.sessions.clear();
    }
    return this.inner.pruneSessions(before);
  }

  appendTranscript(entry: NewTranscriptEntry): TranscriptEntry {
    return this.inner.appendTranscript(entry);
  }

  transcript(sessionId: string, options?: { limit?: number }): TranscriptEntry[] {
    return this.inner.transcript(sessionId, options);
  }

  createHandoff(handoff: NewHandoff): Handoff {
    const created = this.inner.createHandoff(handoff);
    this.unit?.handoffs.set(created.sessionId, created);
    return created;
  }

  updateHandoff(id: number, patch: HandoffPatch): Handoff {
    const updated = this.inner.updateHandoff(id, patch);
    const unit = this.unit;
    if (unit?.handoffs.get(updated.sessionId)?.id === id) unit.handoffs.set(updated.sessionId, updated);
    return updated;
  }

  getHandoff(id: number): Handoff | undefined {
    const known = this.unit && [...this.unit.handoffs.values()].find((h) => h.id === id);
    return known ? { ...known } : this.inner.getHandoff(id);
  }

  openHandoff(sessionId: string): Handoff | undefined {
    const latest = this.unit?.handoffs.get(sessionId);
    return latest && (latest.status === 'pending' || latest.status === 'assigned') ? { ...latest } : this.inner.openHandoff(sessionId);
  }

  latestHandoff(sessionId: string): Handoff | undefined {
    const latest = this.unit?.handoffs.get(sessionId);
    return latest ? { ...latest } : this.inner.latestHandoff(sessionId);
  }

  createTicket(ticket: NewTicket): Ticket {
    return this.inner.createTicket(ticket);
  }

  getTicket(id: string): Ticket | undefined {
    return this.inner.getTicket(id);
  }

  listTickets(status?: TicketState, options?: { limit?: number }): Ticket[] {
    return this.inner.listTickets(status, options);
  }

  claimTicket(id: string, agentId: string, at: number): Ticket {
    return this.inner.claimTicket(id, agentId, at);
  }

  releaseTicket(id: string, at: number): Ticket {
    return this.inner.releaseTicket(id, at);
  }

  closeTicket(id: string, resolution: string, at: number): Ticket {
    return this.inner.closeTicket(id, resolution, at);
  }

  addFeedback(feedback: NewFeedback): Feedback {
    return this.inner.addFeedback(feedback);
  }

  listFeedback(filter?: { kind?: Feedback['kind']; vote?: 'up' | 'down'; limit?: number }): Feedback[] {
    return this.inner.listFeedback(filter);
  }

  appendEvent(event: StateEvent): void {
    this.inner.appendEvent(event);
  }

  events(sessionId: string): StateEvent[] {
    return this.inner.events(sessionId);
  }

  close(): void {
    this.inner.close();
  }
}

/** The store with a turn's reads and writes coalesced; one already coalescing is returned as it is. */
export function coalescing(store: Store): CoalescingStore {
  return store instanceof CoalescingStore ? store : new CoalescingStore(store);
}
