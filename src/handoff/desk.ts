import { HlError } from '../errors.js';
import type { NewMiss } from '../ops/types.js';
import type {
  Channel,
  Conversation,
  Feedback,
  FeedbackFilter,
  NewFeedback,
  Role,
  SessionRow,
  StoreData,
  Ticket,
  TranscriptEntry,
} from '../store/types.js';
import { type CallbackInput, checkCallback, checkResolution } from './callback.js';
import { DeskSteps } from './desk-steps.js';
import { feedbackLine } from './feedback.js';
import type { ConversationState, TicketState } from './machine.js';
import type { Standing, UnavailableReason } from './notifications.js';
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
 * What a run of several desk operations is given (`HandoffDesk.together`, `grouped`): the operations, run as steps
 * of that one run (its unit, its notifications), and reads through its unit.
 */
export interface DeskRun {
  record(input: RecordInput): Promise<{ entry: TranscriptEntry; state: ConversationState }>;
  request(sessionId: string, input: RequestInput): Promise<RequestResult>;
  cancel(sessionId: string): Promise<void>;
  createTicket(sessionId: string, input: CallbackInput): Promise<Ticket>;
  /** Stores a citizen's verdict that `make` checks against the run's records (feedback.ts); see `HandoffDesk.feedback`. */
  feedback(make: (data: StoreData, at: number) => Promise<NewFeedback>): Promise<Feedback>;
  /** Records what `make` makes of the run's records as a miss for the operators' desk (issue 16); nothing for null. */
  miss(make: (data: StoreData, at: number) => Promise<NewMiss | null> | NewMiss | null): Promise<void>;
  conversation(sessionId: string): Promise<Conversation | undefined>;
  /** The conversation and its dialogue state, in one read. */
  load(sessionId: string): Promise<{ conversation: Conversation | undefined; session: SessionRow | undefined }>;
  putSession(sessionId: string, state: string): Promise<void>;
  standing(sessionId: string): Standing | null;
}

/**
 * The handoff desk: agents, the FIFO queue of sessions waiting for a person, chats held by agents and
 * callback tickets. Every state change goes through the transition table (machine.ts) and is written
 * to the store with its event; notifications go to `subscribe`d listeners once the change has
 * committed. Operations run one at a time. Time comes from `now()`; the integrator calls `tick()` on a
 * timer for the wait limit (each operation that could assign checks it too). Call `open()` once before use.
 */
export class HandoffDesk extends DeskSteps {
  private readonly steps: DeskRun = {
    record: (input) => this.recordStep(input),
    request: (sessionId, input) => this.requestStep(sessionId, input),
    cancel: (sessionId) => this.cancelStep(sessionId),
    createTicket: (sessionId, input) => this.createTicketStep(sessionId, input),
    feedback: (make) => this.feedbackStep(make),
    miss: async (make) => {
      const miss = await make(this.tx, this.now());
      if (miss) await this.tx.addMiss(miss);
    },
    conversation: (sessionId) => this.tx.getConversation(sessionId),
    load: (sessionId) => this.tx.loadConversation(sessionId),
    putSession: (sessionId, state) => this.tx.putSession(sessionId, state, this.now()),
    standing: (sessionId) => this.standing(sessionId),
  };

  /**
   * After a restart no agent is connected: chats that were with one go back to the front of the queue. With several
   * instances the desk's state is the one they share, read from the store as every run does (its agents on
   * instances that stopped are signed off by `tick`); it is only rebuilt from the records when there is none yet.
   */
  open(): Promise<void> {
    return this.run(async () => {
      if (this.shared) return;
      for (const c of await this.tx.listConversations('queued'))
        this.join(c, (await this.tx.openHandoff(c.sessionId))?.reason ?? 'requested', 'back');
      for (const c of (await this.tx.listConversations('agent')).reverse()) await this.requeue(c, 'disconnected');
    });
  }

  /**
   * Runs several operations as one: one store transaction (a chat turn's user and bot lines commit
   * together, or neither does), notifications delivered once it has committed.
   */
  together<T>(fn: (run: DeskRun) => Promise<T>): Promise<T> {
    return this.run(() => fn(this.steps));
  }

  /**
   * As `together`, with the commit shared by the operations of the same tick (group commit, issue 14): the
   * promise resolves once it has committed, its notifications delivered; nothing of it may be told before.
   */
  grouped<T>(fn: (run: DeskRun) => Promise<T>): Promise<T> {
    return this.runGrouped(() => fn(this.steps));
  }

  /** Registers (or updates) an agent; free capacity picks up waiting sessions. */
  register(agentId: string, options: { capacity: number; presence?: Presence }): Promise<AgentView> {
    return this.run(async () => {
      const view = this.roster.register(agentId, { ...options, instance: this.instance });
      await this.assignWaiting();
      return view;
    });
  }

  setPresence(agentId: string, presence: Presence): Promise<AgentView> {
    return this.run(async () => {
      const view = this.roster.setPresence(agentId, presence);
      await this.assignWaiting();
      return view;
    });
  }

  /**
   * The agent disconnected: its chats go back to the front of the queue, oldest first. Returns them. An agent whose
   * console has meanwhile connected to another instance is left as it is there (issue 15).
   */
  unregister(agentId: string): Promise<string[]> {
    return this.run(async () => {
      const agent = this.agent(agentId);
      if (agent && agent.instance !== this.instance) return [];
      const chats = await this.signOff(agentId);
      await this.assignWaiting();
      return chats;
    });
  }

  private async signOff(agentId: string): Promise<string[]> {
    const chats = this.roster.remove(agentId);
    for (const sessionId of [...chats].reverse()) await this.requeue(await this.conversationOf(sessionId), 'disconnected');
    return chats;
  }

  agents(): AgentView[] {
    return this.roster.list();
  }

  /** The agent's view, when registered. */
  agent(agentId: string): AgentView | undefined {
    return this.roster.get(agentId);
  }

  transcript(sessionId: string, options?: { limit?: number }): Promise<TranscriptEntry[]> {
    return this.store.transcript(sessionId, options);
  }

  /**
   * Records a message. A user message creates the conversation if needed, resumes a `closed` or
   * `ticket` conversation to `bot`, and reaches the agent holding the chat. An agent message must come
   * from that agent (HL_ERR_AGENT_NOT_OWNER) and reaches the user. Whether the bot may answer now:
   * `botMaySpeak(result.state)`.
   */
  record(input: RecordInput): Promise<{ entry: TranscriptEntry; state: ConversationState }> {
    return this.run(() => this.recordStep(input));
  }

  private async recordStep(input: RecordInput): Promise<{ entry: TranscriptEntry; state: ConversationState }> {
    const at = this.now();
    let conv = (await this.tx.getConversation(input.sessionId)) ?? this.newConversation(input, at);
    // With a person, or waiting for one: the queue and the agents are part of it.
    if (conv.state === 'queued' || conv.state === 'agent') this.needDesk();
    if (input.role === 'agent' && (conv.state !== 'agent' || conv.agentId !== input.agentId)) {
      throw new HlError('HL_ERR_AGENT_NOT_OWNER', [input.agentId ?? '(none)', input.sessionId]);
    }
    if (input.role === 'user') {
      if (conv.state === 'closed' || conv.state === 'ticket') conv = await this.move(conv, 'conversation.resumed', {});
      conv = { ...conv, lastUserText: input.text, region: input.region ?? conv.region, updatedAt: at };
      this.line.update(conv.sessionId, { lastUserText: conv.lastUserText, region: conv.region });
    }
    // The bot learns the city from what the user says: the conversation keeps it for agents and the hotline.
    if (input.role === 'bot' && input.region) {
      conv = { ...conv, region: input.region, updatedAt: at };
      this.line.update(conv.sessionId, { region: conv.region });
    }
    await this.tx.putConversation(conv);
    const { sessionId, role, text, reply, agentId } = input;
    const entry = await this.tx.appendTranscript({
      sessionId,
      role,
      text,
      at,
      ...(reply !== undefined && { reply }),
      ...(agentId && { agentId }),
    });
    if (role === 'user' && conv.state === 'agent' && conv.agentId) {
      this.emit({ to: 'agent', agentId: conv.agentId, sessionId, kind: 'user-message', text, seq: entry.seq, region: conv.region });
    }
    if (role === 'agent' && agentId) this.tell(conv, { kind: 'agent-message', agentId, text, seq: entry.seq, at });
    // A system line (a delivery failure, a ticket …) in a chat an agent holds: the agent sees it at once.
    if (role === 'system' && conv.state === 'agent' && conv.agentId)
      this.emit({ to: 'agent', agentId: conv.agentId, sessionId, kind: 'entry', entry });
    return { entry, state: conv.state };
  }

  /**
   * The user asks for a person: queued, or at once `unavailable` when no agent is online or the queue is full
   * (`maxWaiting` in all, `maxWaitingPerOrigin` from the request's origin): they are given the hotline and a
   * callback instead, and a flood of requests costs the queue nothing (issue 12).
   */
  request(sessionId: string, input: RequestInput): Promise<RequestResult> {
    return this.run(() => this.requestStep(sessionId, input));
  }

  private async requestStep(sessionId: string, input: RequestInput): Promise<RequestResult> {
    this.needDesk();
    await this.expire();
    const at = this.now();
    let found = (await this.tx.getConversation(sessionId)) ?? this.newConversation({ sessionId, ...input }, at);
    // After a callback ticket or a closed chat, asking for a person resumes the conversation first, as a message does.
    if (found.state === 'closed' || found.state === 'ticket') found = await this.move(found, 'conversation.resumed', {});
    const conv: Conversation = {
      ...found,
      region: input.region ?? found.region,
      lastUserText: input.lastUserText ?? found.lastUserText,
    };
    this.check(conv, 'handoff.requested');
    const handoff = await this.tx.createHandoff({ sessionId, reason: input.reason, region: conv.region, requestedAt: at });
    const queued = await this.move(conv, 'handoff.requested', { queuedAt: at }, { handoffId: handoff.id });
    const result = { handoffId: handoff.id, position: null, estimatedWaitMs: null };
    const unavailable = this.roster.onlineCount() === 0 ? 'no-agent' : this.isFull(input.origin ?? null) ? 'queue-full' : null;
    if (unavailable) {
      await this.giveUp(queued, unavailable);
      return { ...result, state: 'bot', unavailable };
    }
    this.join(queued, input.reason, 'back', input.origin ?? null);
    this.tell(queued, { kind: 'queued', handoffId: handoff.id, ...this.announceStanding(sessionId) });
    await this.assignWaiting();
    const standing = this.standing(sessionId);
    return standing ? { ...result, state: 'queued', ...standing } : { ...result, state: 'agent' };
  }

  private isFull(origin: string | null): boolean {
    const { maxWaiting, maxWaitingPerOrigin } = this.config;
    return this.line.size >= maxWaiting || (origin !== null && this.line.fromOrigin(origin) >= maxWaitingPerOrigin);
  }

  /** The user stops waiting and goes back to the bot. */
  cancel(sessionId: string): Promise<void> {
    return this.run(() => this.cancelStep(sessionId));
  }

  private async cancelStep(sessionId: string): Promise<void> {
    this.needDesk();
    const conv = await this.move(await this.conversationOf(sessionId), 'handoff.cancelled', {});
    this.dequeue(sessionId);
    await this.endHandoff(conv.sessionId, { status: 'cancelled' });
    this.tell(conv, { kind: 'cancelled' });
  }

  /** An agent takes a queued session explicitly (also when away); HL_ERR_AGENT_BUSY when at capacity. */
  accept(agentId: string, sessionId: string): Promise<void> {
    return this.run(async () => {
      await this.expire();
      this.roster.require(agentId);
      this.check(await this.conversationOf(sessionId), 'handoff.assigned');
      if (this.roster.isFull(agentId)) throw new HlError('HL_ERR_AGENT_BUSY', [agentId]);
      await this.assign(sessionId, agentId);
    });
  }

  /** The agent gives the chat back: it goes to the front of the queue, for another agent. */
  release(agentId: string, sessionId: string): Promise<void> {
    return this.run(async () => {
      await this.requeue(await this.held(agentId, sessionId), 'released');
      await this.assignWaiting();
    });
  }

  /** The agent hands the user back to the bot. */
  returnToBot(agentId: string, sessionId: string): Promise<void> {
    return this.run(async () => {
      const conv = await this.finish(await this.held(agentId, sessionId), 'handoff.returned', { status: 'returned' });
      this.tell(conv, { kind: 'returned', agentId });
      await this.assignWaiting();
    });
  }

  /** The agent closes the chat with a resolution tag (1–200 characters). */
  resolve(agentId: string, sessionId: string, resolution: string): Promise<void> {
    return this.run(async () => {
      const tag = checkResolution(resolution, 'chat');
      const conv = await this.finish(await this.held(agentId, sessionId), 'handoff.resolved', { status: 'resolved', resolution: tag });
      this.tell(conv, { kind: 'resolved', agentId, resolution: tag });
      await this.assignWaiting();
    });
  }

  /**
   * Sessions past the wait limit become `unavailable`; free agents take waiting sessions. With several instances, the
   * agents of an instance that stopped saying it is alive are signed off (their chats go back to the queue).
   */
  async tick(): Promise<void> {
    // Who is alive cannot be known while Redis is away: nobody is signed off meanwhile; the rest goes on.
    const live = this.share ? await this.share.live().catch(() => null) : null;
    return this.run(async () => {
      for (const agent of live ? this.roster.list() : [])
        if (agent.instance !== null && !live?.has(agent.instance)) await this.signOff(agent.agentId);
      await this.assignWaiting();
    });
  }

  /** A callback request, from `bot` or `queued` (it leaves the queue); the user is shown `ticket.id`. */
  createTicket(sessionId: string, input: CallbackInput): Promise<Ticket> {
    return this.run(() => this.createTicketStep(sessionId, input));
  }

  private async createTicketStep(sessionId: string, input: CallbackInput): Promise<Ticket> {
    this.needDesk();
    const { phone, question } = checkCallback(input);
    const conv = await this.conversationOf(sessionId);
    this.check(conv, 'ticket.created');
    const at = this.now();
    const ticket = await this.tx.createTicket({ sessionId, phone, question, region: input.region ?? conv.region, createdAt: at });
    if (conv.state === 'queued') {
      this.dequeue(sessionId);
      await this.endHandoff(sessionId, { status: 'cancelled', resolution: `ticket ${ticket.id}` });
    }
    await this.move(conv, 'ticket.created', {}, { ticketId: ticket.id });
    this.emit({ to: 'agents', kind: 'ticket', change: 'created', ticket });
    return ticket;
  }

  /**
   * Stores a citizen's verdict that `make` checks against the store (feedback.ts) and writes it to the
   * transcript, where agents see it; one store transaction.
   */
  feedback(make: (data: StoreData, at: number) => Promise<NewFeedback>): Promise<Feedback> {
    return this.run(() => this.feedbackStep(make));
  }

  private async feedbackStep(make: (data: StoreData, at: number) => Promise<NewFeedback>): Promise<Feedback> {
    const feedback = await this.tx.addFeedback(await make(this.tx, this.now()));
    await this.recordStep({ sessionId: feedback.sessionId, role: 'system', text: feedbackLine(feedback) });
    return feedback;
  }

  listFeedback(filter?: FeedbackFilter): Promise<Feedback[]> {
    return this.store.listFeedback(filter);
  }

  listTickets(status?: TicketState, options?: { limit?: number }): Promise<Ticket[]> {
    return this.store.listTickets(status, options);
  }

  getTicket(id: string): Promise<Ticket | undefined> {
    return this.store.getTicket(id);
  }

  /** Only an open ticket can be claimed (HL_ERR_BAD_TRANSITION otherwise). */
  claimTicket(agentId: string, id: string): Promise<Ticket> {
    return this.run(() => this.changeTicket(agentId, id, 'claimed', () => this.tx.claimTicket(id, agentId, this.now())));
  }

  releaseTicket(agentId: string, id: string): Promise<Ticket> {
    return this.run(() => this.changeTicket(agentId, id, 'released', () => this.tx.releaseTicket(id, this.now())));
  }

  /** Closes an open ticket, or one this agent claimed, with a resolution (1–200 characters). */
  closeTicket(agentId: string, id: string, resolution: string): Promise<Ticket> {
    return this.run(() => {
      const text = checkResolution(resolution, 'ticket');
      return this.changeTicket(agentId, id, 'closed', () => this.tx.closeTicket(id, text, this.now()));
    });
  }
}
