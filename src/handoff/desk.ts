import { HlError } from '../errors.js';
import type { Channel, Conversation, Feedback, NewFeedback, Role, Store, Ticket, TranscriptEntry } from '../store/types.js';
import { type CallbackInput, checkCallback, checkResolution } from './callback.js';
import type { DeskOptions } from './desk-base.js';
import { DeskSteps } from './desk-steps.js';
import { feedbackLine } from './feedback.js';
import type { ConversationState, TicketState } from './machine.js';
import type { UnavailableReason } from './notifications.js';
import type { AgentView, Presence } from './roster.js';

export { DEFAULT_DESK_CONFIG, type DeskConfig, type DeskOptions } from './desk-base.js';

export interface RequestInput {
  reason: string;
  region?: string | null;
  channel: Channel;
  lastUserText?: string | null;
  /** Where the request came from (the client's address), for the per-address cap; none for channels that vouch for each user. */
  origin?: string | null;
}

/**
 * Where a request left the session: queued (with its standing), at once with an agent, or back with the bot
 * (`unavailable` says why: nobody online, or the queue full).
 */
export interface RequestResult {
  handoffId: number;
  state: 'queued' | 'agent' | 'bot';
  position: number | null;
  estimatedWaitMs: number | null;
  unavailable?: UnavailableReason;
}

export interface RecordInput {
  sessionId: string;
  role: Role;
  text: string;
  /** The bot's full reply, citations included. */
  reply?: unknown;
  /** Required for role `agent`: the agent holding the chat. */
  agentId?: string;
  /** Needed when the session has no conversation yet (its first user message). */
  channel?: Channel;
  region?: string | null;
}

/**
 * The handoff desk: agents, the FIFO queue of sessions waiting for a person, chats held by agents and
 * callback tickets. Every state change goes through the transition table (machine.ts) and is written
 * to the store with its event; notifications go to `subscribe`d listeners once the change has
 * committed. Time comes from `now()`; the integrator calls `tick()` on a timer for the wait limit
 * (each operation that could assign checks it too).
 */
export class HandoffDesk extends DeskSteps {
  constructor(options: DeskOptions) {
    super(options);
    this.run(() => {
      // After a restart no agent is connected: chats that were with one go back to the front.
      for (const c of this.store.listConversations('queued'))
        this.join(c, this.store.openHandoff(c.sessionId)?.reason ?? 'requested', 'back');
      for (const c of this.store.listConversations('agent').reverse()) this.requeue(c, 'disconnected');
    });
  }

  /**
   * Runs several operations as one: one store transaction (a chat turn's user and bot lines commit
   * together, or neither does), notifications delivered once it has committed.
   */
  together<T>(fn: () => T): T {
    return this.run(fn);
  }

  /**
   * As `together`, with the commit shared by the operations of the same tick (group commit, issue 14): the
   * promise resolves once it has committed, its notifications delivered; nothing of it may be told before.
   */
  grouped<T>(fn: () => T): Promise<T> {
    return this.runGrouped(fn);
  }

  /** Registers (or updates) an agent; free capacity picks up waiting sessions. */
  register(agentId: string, options: { capacity: number; presence?: Presence }): AgentView {
    return this.run(() => {
      const view = this.roster.register(agentId, options);
      this.assignWaiting();
      return view;
    });
  }

  setPresence(agentId: string, presence: Presence): AgentView {
    return this.run(() => {
      const view = this.roster.setPresence(agentId, presence);
      this.assignWaiting();
      return view;
    });
  }

  /** The agent disconnected: its chats go back to the front of the queue, oldest first. Returns them. */
  unregister(agentId: string): string[] {
    return this.run(() => {
      const chats = this.roster.remove(agentId);
      for (const sessionId of [...chats].reverse()) this.requeue(this.conversationOf(sessionId), 'disconnected');
      this.assignWaiting();
      return chats;
    });
  }

  agents(): AgentView[] {
    return this.roster.list();
  }

  transcript(sessionId: string, options?: { limit?: number }): TranscriptEntry[] {
    return this.store.transcript(sessionId, options);
  }

  /**
   * Records a message. A user message creates the conversation if needed, resumes a `closed` or
   * `ticket` conversation to `bot`, and reaches the agent holding the chat. An agent message must come
   * from that agent (HL_ERR_AGENT_NOT_OWNER) and reaches the user. Whether the bot may answer now:
   * `botMaySpeak(result.state)`.
   */
  record(input: RecordInput): { entry: TranscriptEntry; state: ConversationState } {
    return this.run(() => {
      const at = this.now();
      let conv = this.store.getConversation(input.sessionId) ?? this.newConversation(input, at);
      if (input.role === 'agent' && (conv.state !== 'agent' || conv.agentId !== input.agentId)) {
        throw new HlError('HL_ERR_AGENT_NOT_OWNER', [input.agentId ?? '(none)', input.sessionId]);
      }
      if (input.role === 'user') {
        if (conv.state === 'closed' || conv.state === 'ticket') conv = this.move(conv, 'conversation.resumed', {});
        conv = { ...conv, lastUserText: input.text, region: input.region ?? conv.region, updatedAt: at };
        this.line.update(conv.sessionId, { lastUserText: conv.lastUserText, region: conv.region });
      }
      // The bot learns the city from what the user says: the conversation keeps it for agents and the hotline.
      if (input.role === 'bot' && input.region) {
        conv = { ...conv, region: input.region, updatedAt: at };
        this.line.update(conv.sessionId, { region: conv.region });
      }
      this.put(conv);
      const { sessionId, role, text, reply, agentId } = input;
      const entry = this.store.appendTranscript({
        sessionId,
        role,
        text,
        at,
        ...(reply !== undefined && { reply }),
        ...(agentId && { agentId }),
      });
      if (role === 'user' && conv.state === 'agent' && conv.agentId) {
        this.emit({ to: 'agent', agentId: conv.agentId, sessionId, kind: 'user-message', text, seq: entry.seq });
      }
      if (role === 'agent' && agentId) this.emit({ to: 'session', sessionId, kind: 'agent-message', agentId, text, seq: entry.seq, at });
      // A system line (a delivery failure, a ticket …) in a chat an agent holds: the agent sees it at once.
      if (role === 'system' && conv.state === 'agent' && conv.agentId)
        this.emit({ to: 'agent', agentId: conv.agentId, sessionId, kind: 'entry', entry });
      return { entry, state: conv.state };
    });
  }

  /**
   * The user asks for a person: queued, or at once `unavailable` when no agent is online or the queue is full
   * (`maxWaiting` in all, `maxWaitingPerOrigin` from the request's origin): they are given the hotline and a
   * callback instead, and a flood of requests costs the queue nothing (issue 12).
   */
  request(sessionId: string, input: RequestInput): RequestResult {
    return this.run(() => {
      this.expire();
      const at = this.now();
      let found = this.store.getConversation(sessionId) ?? this.newConversation({ sessionId, ...input }, at);
      // After a callback ticket or a closed chat, asking for a person resumes the conversation first, as a message does.
      if (found.state === 'closed' || found.state === 'ticket') found = this.move(found, 'conversation.resumed', {});
      const conv: Conversation = {
        ...found,
        region: input.region ?? found.region,
        lastUserText: input.lastUserText ?? found.lastUserText,
      };
      this.check(conv, 'handoff.requested');
      const handoff = this.store.createHandoff({ sessionId, reason: input.reason, region: conv.region, requestedAt: at });
      const queued = this.move(conv, 'handoff.requested', { queuedAt: at }, { handoffId: handoff.id });
      const result = { handoffId: handoff.id, position: null, estimatedWaitMs: null };
      const unavailable = this.roster.onlineCount() === 0 ? 'no-agent' : this.isFull(input.origin ?? null) ? 'queue-full' : null;
      if (unavailable) {
        this.giveUp(queued, unavailable);
        return { ...result, state: 'bot', unavailable };
      }
      this.join(queued, input.reason, 'back', input.origin ?? null);
      this.emit({ to: 'session', sessionId, kind: 'queued', handoffId: handoff.id, ...this.announceStanding(sessionId) });
      this.assignWaiting();
      const standing = this.standing(sessionId);
      return standing ? { ...result, state: 'queued', ...standing } : { ...result, state: 'agent' };
    });
  }

  private isFull(origin: string | null): boolean {
    const { maxWaiting, maxWaitingPerOrigin } = this.config;
    return this.line.size >= maxWaiting || (origin !== null && this.line.fromOrigin(origin) >= maxWaitingPerOrigin);
  }

  /** The user stops waiting and goes back to the bot. */
  cancel(sessionId: string): void {
    this.run(() => {
      const conv = this.move(this.conversationOf(sessionId), 'handoff.cancelled', {});
      this.dequeue(sessionId);
      this.endHandoff(conv.sessionId, { status: 'cancelled' });
      this.emit({ to: 'session', sessionId, kind: 'cancelled' });
    });
  }

  /** An agent takes a queued session explicitly (also when away); HL_ERR_AGENT_BUSY when at capacity. */
  accept(agentId: string, sessionId: string): void {
    this.run(() => {
      this.expire();
      this.roster.require(agentId);
      this.check(this.conversationOf(sessionId), 'handoff.assigned');
      if (this.roster.isFull(agentId)) throw new HlError('HL_ERR_AGENT_BUSY', [agentId]);
      this.assign(sessionId, agentId);
    });
  }

  /** The agent gives the chat back: it goes to the front of the queue, for another agent. */
  release(agentId: string, sessionId: string): void {
    this.run(() => {
      this.requeue(this.held(agentId, sessionId), 'released');
      this.assignWaiting();
    });
  }

  /** The agent hands the user back to the bot. */
  returnToBot(agentId: string, sessionId: string): void {
    this.run(() => {
      this.finish(this.held(agentId, sessionId), 'handoff.returned', { status: 'returned' });
      this.emit({ to: 'session', sessionId, kind: 'returned', agentId });
      this.assignWaiting();
    });
  }

  /** The agent closes the chat with a resolution tag (1–200 characters). */
  resolve(agentId: string, sessionId: string, resolution: string): void {
    this.run(() => {
      const tag = checkResolution(resolution, 'chat');
      this.finish(this.held(agentId, sessionId), 'handoff.resolved', { status: 'resolved', resolution: tag });
      this.emit({ to: 'session', sessionId, kind: 'resolved', agentId, resolution: tag });
      this.assignWaiting();
    });
  }

  /** Sessions past the wait limit become `unavailable`; free agents take waiting sessions. */
  tick(): void {
    this.run(() => this.assignWaiting());
  }

  /** A callback request, from `bot` or `queued` (it leaves the queue); the user is shown `ticket.id`. */
  createTicket(sessionId: string, input: CallbackInput): Ticket {
    return this.run(() => {
      const { phone, question } = checkCallback(input);
      const conv = this.conversationOf(sessionId);
      this.check(conv, 'ticket.created');
      const at = this.now();
      const ticket = this.store.createTicket({ sessionId, phone, question, region: input.region ?? conv.region, createdAt: at });
      if (conv.state === 'queued') {
        this.dequeue(sessionId);
        this.endHandoff(sessionId, { status: 'cancelled', resolution: `ticket ${ticket.id}` });
      }
      this.move(conv, 'ticket.created', {}, { ticketId: ticket.id });
      this.emit({ to: 'agents', kind: 'ticket', change: 'created', ticket });
      return ticket;
    });
  }

  /**
   * Stores a citizen's verdict that `make` checks against the store (feedback.ts) and writes it to the
   * transcript, where agents see it; one store transaction.
   */
  feedback(make: (store: Store, at: number) => NewFeedback): Feedback {
    return this.run(() => {
      const feedback = this.store.addFeedback(make(this.store, this.now()));
      this.record({ sessionId: feedback.sessionId, role: 'system', text: feedbackLine(feedback) });
      return feedback;
    });
  }

  listFeedback(filter?: Parameters<Store['listFeedback']>[0]): Feedback[] {
    return this.store.listFeedback(filter);
  }

  listTickets(status?: TicketState, options?: { limit?: number }): Ticket[] {
    return this.store.listTickets(status, options);
  }

  getTicket(id: string): Ticket | undefined {
    return this.store.getTicket(id);
  }

  /** Only an open ticket can be claimed (HL_ERR_BAD_TRANSITION otherwise). */
  claimTicket(agentId: string, id: string): Ticket {
    return this.run(() => this.changeTicket(agentId, id, 'claimed', () => this.store.claimTicket(id, agentId, this.now())));
  }

  releaseTicket(agentId: string, id: string): Ticket {
    return this.run(() => this.changeTicket(agentId, id, 'released', () => this.store.releaseTicket(id, this.now())));
  }

  /** Closes an open ticket, or one this agent claimed, with a resolution (1–200 characters). */
  closeTicket(agentId: string, id: string, resolution: string): Ticket {
    const text = checkResolution(resolution, 'ticket');
    return this.run(() => this.changeTicket(agentId, id, 'closed', () => this.store.closeTicket(id, text, this.now())));
  }
}
