import type { ConversationState, TicketState } from '../handoff/machine.js';
import type { DailyFeedback, DailyReplies, Miss, MissFilter, NewMiss } from '../ops/types.js';
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

/** The records of another store or unit, each call passed on as it is: what the coalescing layer does not change. */
class Delegating implements StoreData {
  constructor(protected readonly inner: StoreData) {}

  putConversation(conversation: Conversation): Promise<void> {
    return this.inner.putConversation(conversation);
  }
  getConversation(sessionId: string): Promise<Conversation | undefined> {
    return this.inner.getConversation(sessionId);
  }
  loadConversation(sessionId: string): Promise<{ conversation: Conversation | undefined; session: SessionRow | undefined }> {
    return this.inner.loadConversation(sessionId);
  }
  listConversations(state: ConversationState): Promise<Conversation[]> {
    return this.inner.listConversations(state);
  }
  appendTranscript(entry: NewTranscriptEntry): Promise<TranscriptEntry> {
    return this.inner.appendTranscript(entry);
  }
  transcript(sessionId: string, options?: { limit?: number }): Promise<TranscriptEntry[]> {
    return this.inner.transcript(sessionId, options);
  }
  createHandoff(handoff: NewHandoff): Promise<Handoff> {
    return this.inner.createHandoff(handoff);
  }
  updateHandoff(id: number, patch: HandoffPatch): Promise<Handoff> {
    return this.inner.updateHandoff(id, patch);
  }
  getHandoff(id: number): Promise<Handoff | undefined> {
    return this.inner.getHandoff(id);
  }
  openHandoff(sessionId: string): Promise<Handoff | undefined> {
    return this.inner.openHandoff(sessionId);
  }
  latestHandoff(sessionId: string): Promise<Handoff | undefined> {
    return this.inner.latestHandoff(sessionId);
  }
  createTicket(ticket: NewTicket): Promise<Ticket> {
    return this.inner.createTicket(ticket);
  }
  getTicket(id: string): Promise<Ticket | undefined> {
    return this.inner.getTicket(id);
  }
  listTickets(status?: TicketState, options?: { limit?: number }): Promise<Ticket[]> {
    return this.inner.listTickets(status, options);
  }
  claimTicket(id: string, agentId: string, at: number): Promise<Ticket> {
    return this.inner.claimTicket(id, agentId, at);
  }
  releaseTicket(id: string, at: number): Promise<Ticket> {
    return this.inner.releaseTicket(id, at);
  }
  closeTicket(id: string, resolution: string, at: number): Promise<Ticket> {
    return this.inner.closeTicket(id, resolution, at);
  }
  getSession(sessionId: string): Promise<SessionRow | undefined> {
    return this.inner.getSession(sessionId);
  }
  putSession(sessionId: string, state: string, at: number): Promise<void> {
    return this.inner.putSession(sessionId, state, at);
  }
  pruneSessions(before: number): Promise<number> {
    return this.inner.pruneSessions(before);
  }
  addFeedback(feedback: NewFeedback): Promise<Feedback> {
    return this.inner.addFeedback(feedback);
  }
  listFeedback(filter?: FeedbackFilter): Promise<Feedback[]> {
    return this.inner.listFeedback(filter);
  }
  addMiss(miss: NewMiss): Promise<Miss> {
    return this.inner.addMiss(miss);
  }
  listMisses(filter?: MissFilter): Promise<Miss[]> {
    return this.inner.listMisses(filter);
  }
  dailyReplies(since: number): Promise<DailyReplies[]> {
    return this.inner.dailyReplies(since);
  }
  dailyFeedback(since: number): Promise<DailyFeedback[]> {
    return this.inner.dailyFeedback(since);
  }
  appendEvent(event: StateEvent): Promise<void> {
    return this.inner.appendEvent(event);
  }
  events(sessionId: string): Promise<StateEvent[]> {
    return this.inner.events(sessionId);
  }
  lockDesk(mode: 'shared' | 'exclusive'): Promise<DeskRow | null> {
    return this.inner.lockDesk(mode);
  }
  saveDesk(state: string): Promise<number> {
    return this.inner.saveDesk(state);
  }
}

/**
 * One unit's view of the records through which it reads each conversation once and writes it once (issue 14: a
 * chat turn read its conversation row three times and wrote it twice). Its first read of a conversation fetches the
 * dialogue state with it, in one statement; later reads are answered from what the unit read or wrote (a handoff
 * it created too); the writes of conversations and dialogue states are kept and made once, by `flush`, before the
 * unit ends, in its transaction. Everything else goes straight through.
 */
class CoalescingTx extends Delegating {
  private readonly conversations = new Map<string, Conversation | null>();
  private readonly sessions = new Map<string, SessionRow | null>();
  private readonly dirtyConversations = new Set<string>();
  private readonly dirtySessions = new Set<string>();
  /** Each session's latest handoff, when this unit created it (so it is the latest), as last written. */
  private readonly handoffs = new Map<string, Handoff>();

  constructor(inner: StoreData) {
    super(inner);
  }

  /** Writes what the unit changed (once per row) and keeps it as read. */
  async flush(): Promise<void> {
    for (const id of this.dirtyConversations) await this.inner.putConversation(this.conversations.get(id) as Conversation);
    this.dirtyConversations.clear();
    for (const id of this.dirtySessions) {
      const row = this.sessions.get(id) as SessionRow;
      await this.inner.putSession(id, row.state, row.updatedAt);
    }
    this.dirtySessions.clear();
  }

  /** Reads the conversation and its dialogue state in one statement, keeping what the unit already has. */
  private async load(sessionId: string): Promise<void> {
    const { conversation, session } = await this.inner.loadConversation(sessionId);
    if (!this.conversations.has(sessionId)) this.conversations.set(sessionId, conversation ?? null);
    if (!this.sessions.has(sessionId)) this.sessions.set(sessionId, session ?? null);
  }

  override async putConversation(conversation: Conversation): Promise<void> {
    this.conversations.set(conversation.sessionId, { ...conversation });
    this.dirtyConversations.add(conversation.sessionId);
  }

  override async getConversation(sessionId: string): Promise<Conversation | undefined> {
    if (!this.conversations.has(sessionId)) await this.load(sessionId);
    const c = this.conversations.get(sessionId);
    return c ? { ...c } : undefined;
  }

  override async loadConversation(sessionId: string): Promise<{ conversation: Conversation | undefined; session: SessionRow | undefined }> {
    return { conversation: await this.getConversation(sessionId), session: await this.getSession(sessionId) };
  }

  override async listConversations(state: ConversationState): Promise<Conversation[]> {
    await this.flush();
    return this.inner.listConversations(state);
  }

  override async getSession(sessionId: string): Promise<SessionRow | undefined> {
    if (!this.sessions.has(sessionId)) await this.load(sessionId);
    const s = this.sessions.get(sessionId);
    return s ? { ...s } : undefined;
  }

  override async putSession(sessionId: string, state: string, at: number): Promise<void> {
    this.sessions.set(sessionId, { state, updatedAt: at });
    this.dirtySessions.add(sessionId);
  }

  override async pruneSessions(before: number): Promise<number> {
    await this.flush();
    this.sessions.clear();
    return this.inner.pruneSessions(before);
  }

  override async createHandoff(handoff: NewHandoff): Promise<Handoff> {
    const created = await this.inner.createHandoff(handoff);
    this.handoffs.set(created.sessionId, created);
    return created;
  }

  override async updateHandoff(id: number, patch: HandoffPatch): Promise<Handoff> {
    const updated = await this.inner.updateHandoff(id, patch);
    if (this.handoffs.get(updated.sessionId)?.id === id) this.handoffs.set(updated.sessionId, updated);
    return updated;
  }

  override async getHandoff(id: number): Promise<Handoff | undefined> {
    const known = [...this.handoffs.values()].find((h) => h.id === id);
    return known ? { ...known } : this.inner.getHandoff(id);
  }

  override async openHandoff(sessionId: string): Promise<Handoff | undefined> {
    const latest = this.handoffs.get(sessionId);
    return latest && (latest.status === 'pending' || latest.status === 'assigned') ? { ...latest } : this.inner.openHandoff(sessionId);
  }

  override async latestHandoff(sessionId: string): Promise<Handoff | undefined> {
    const latest = this.handoffs.get(sessionId);
    return latest ? { ...latest } : this.inner.latestHandoff(sessionId);
  }
}

/**
 * A store in front of another whose units (`atomic`, `groupCommit`) each read a conversation once and write it once
 * (`CoalescingTx`). Outside a unit every call goes straight through.
 */
export class CoalescingStore extends Delegating implements Store {
  readonly kind: Store['kind'];

  constructor(override readonly inner: Store) {
    super(inner);
    this.kind = inner.kind;
  }

  atomic<T>(fn: (tx: StoreData) => Promise<T>): Promise<T> {
    return this.inner.atomic((tx) => coalesced(tx, fn));
  }

  groupCommit<T>(fn: (tx: StoreData) => Promise<T>): Promise<Committing<T>> {
    return this.inner.groupCommit((tx) => coalesced(tx, fn));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Runs `fn` on a coalescing view of the unit's `tx`, and makes its writes before the unit ends. */
async function coalesced<T>(tx: StoreData, fn: (tx: StoreData) => Promise<T>): Promise<T> {
  const view = new CoalescingTx(tx);
  const value = await fn(view);
  await view.flush();
  return value;
}

/** The store with a turn's reads and writes coalesced; one already coalescing is returned as it is. */
export function coalescing(store: Store): CoalescingStore {
  return store instanceof CoalescingStore ? store : new CoalescingStore(store);
}
