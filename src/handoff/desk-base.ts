import { HlError } from '../errors.js';
import type { Channel, Committing, Conversation, Store, StoreData } from '../store/types.js';
import { estimateWaitMs, HandleTimes } from './estimate.js';
import { type Waiter, WaitingLine } from './line.js';
import { type ConversationEvent, transition } from './machine.js';
import type { Listener, Notification, QueueItem, SessionNotification, Standing } from './notifications.js';
import { Roster } from './roster.js';

/** What a session notification says of its conversation, as the event left it. */
export type Addressee = Pick<Conversation, 'sessionId' | 'channel' | 'region' | 'state'>;

/** A session notification without its address. */
type SessionNews = SessionNotification extends infer N ? (N extends SessionNotification ? Omit<N, keyof Addressee | 'to'> : never) : never;

export interface DeskConfig {
  /** Handle time assumed before any chat has ended (ms); 180 s. */
  defaultHandleMs: number;
  /** How many recent handle times the moving average covers; 20. */
  handleWindow: number;
  /** A session that has waited this long in the queue becomes `unavailable` (ms); 10 min. */
  waitLimitMs: number;
  /** Sessions waiting at most; a request past it is `unavailable` (`queue-full`): the hotline and a callback instead. */
  maxWaiting: number;
  /** Sessions waiting at most from one client address (a request's `origin`). */
  maxWaitingPerOrigin: number;
  /** How many of the front of the queue agents are sent (with the total). */
  queuePage: number;
}

export const DEFAULT_DESK_CONFIG: Readonly<DeskConfig> = Object.freeze({
  defaultHandleMs: 180_000,
  handleWindow: 20,
  waitLimitMs: 600_000,
  maxWaiting: 200,
  maxWaitingPerOrigin: 10,
  queuePage: 50,
});

export interface DeskOptions {
  store: Store;
  /** The clock, epoch ms. */
  now: () => number;
  config?: Partial<DeskConfig>;
}

/**
 * The desk's state and the steps its operations share. Each public operation runs in `run`, one at a time: one
 * store unit (the steps read and write through `tx`), in-memory state restored if it throws, then the queue
 * standings announced and the notifications delivered once everything has committed. A user's turn runs in
 * `runGrouped`: the same, with the commit shared by the turns of one tick.
 */
export class DeskBase {
  protected readonly store: Store;
  protected readonly now: () => number;
  readonly config: Readonly<DeskConfig>;
  protected readonly roster = new Roster();
  protected readonly handleTimes: HandleTimes;
  /** The sessions waiting, front first. */
  protected readonly line = new WaitingLine();
  /** Agents that released a session, so it is not given back to them automatically. */
  protected declined = new Map<string, Set<string>>();
  /** The standing each waiting session was last told. */
  protected announced = new Map<string, Standing>();
  /** What agents were last sent of the queue: its front page and its length. */
  private lastQueue = '';
  /** The queue's version and the estimate's inputs when standings were last read: unchanged, none can have changed. */
  private lastStandings = '';
  private readonly listeners = new Set<Listener>();
  private outbox: Notification[] = [];
  /** The run in progress: the store unit its steps read and write through. */
  private unit: StoreData | null = null;
  /** The last run asked for: the next one starts when it has ended. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Since the last commit, grouped runs wait for theirs: how to put the desk back as it was then if it fails. */
  private pending: { restore: () => void } | null = null;

  constructor(options: DeskOptions) {
    this.store = options.store;
    this.now = options.now;
    this.config = Object.freeze({ ...DEFAULT_DESK_CONFIG, ...options.config });
    this.handleTimes = new HandleTimes(this.config.handleWindow, this.config.defaultHandleMs);
  }

  /** Listens to every notification; returns the function that stops listening. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The front of the queue as agents see it (at most `queuePage` sessions), and how many wait in all. */
  queue(): { items: QueueItem[]; total: number } {
    const at = this.now();
    const average = this.handleTimes.averageMs();
    const online = this.roster.onlineCount();
    const items = this.line.front(this.config.queuePage).map((w, i) => ({
      sessionId: w.sessionId,
      channel: w.channel,
      region: w.region,
      reason: w.reason,
      lastUserText: w.lastUserText,
      waitingMs: at - w.queuedAt,
      position: i + 1,
      estimatedWaitMs: estimateWaitMs(average, i + 1, online),
    }));
    return { items, total: this.line.size };
  }

  /** How many sessions wait for a person. */
  waitingCount(): number {
    return this.line.size;
  }

  /** A queued session's position and estimated wait; null when it is not queued. */
  standing(sessionId: string): Standing | null {
    const position = this.line.position(sessionId);
    if (position === 0) return null;
    return { position, estimatedWaitMs: estimateWaitMs(this.handleTimes.averageMs(), position, this.roster.onlineCount()) };
  }

  /** The store unit of the run in progress; only a run's steps read and write through it. */
  protected get tx(): StoreData {
    if (!this.unit) throw new HlError('HL_ERR_INTERNAL', [], { cause: new Error('a desk step ran outside a run') });
    return this.unit;
  }

  /** Runs `job` once every run asked for before it has ended. */
  private exclusive<T>(job: () => Promise<T>): Promise<T> {
    const run = this.tail.then(job);
    this.tail = run.catch(() => {});
    return run;
  }

  /** `fn` on the unit's records, with the standings announced at its end. */
  private within<T>(fn: () => Promise<T>): (tx: StoreData) => Promise<T> {
    return async (tx) => {
      this.unit = tx;
      try {
        const value = await fn();
        this.announce();
        return value;
      } finally {
        this.unit = null;
      }
    };
  }

  protected run<T>(fn: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      const restore = this.snapshot();
      this.begin();
      let ran = false;
      let result: T;
      try {
        result = await this.store.atomic(
          this.within(async () => {
            const value = await fn();
            ran = true;
            return value;
          }),
        );
      } catch (err) {
        // `fn` threw: only its writes were undone. The commit failed: so were the grouped runs' waiting with it.
        (ran && this.pending ? this.pending.restore : restore)();
        if (ran) this.pending = null;
        this.outbox = [];
        throw err;
      }
      // Everything written so far has committed, grouped runs' too.
      this.pending = null;
      this.deliver(this.takeOutbox());
      return result;
    });
  }

  /**
   * As `run`, but the store commits it with the other grouped runs of the same tick (issue 14, group commit): the
   * promise settles once that has committed, and the run's notifications are delivered then. When the commit
   * fails, the desk's memory goes back to how it was at the last commit, and every run waiting rejects
   * (HL_ERR_INTERNAL).
   */
  protected async runGrouped<T>(fn: () => Promise<T>): Promise<T> {
    const { unit, notifications, pending } = await this.exclusive(async () => {
      const restore = this.snapshot();
      this.begin();
      this.pending ??= { restore };
      const pending = this.pending;
      let unit: Committing<T>;
      try {
        unit = await this.store.groupCommit(this.within(fn));
      } catch (err) {
        restore();
        if (this.pending === pending && pending.restore === restore) this.pending = null;
        this.outbox = [];
        throw err;
      }
      return { unit, notifications: this.takeOutbox(), pending };
    });
    try {
      await unit.committed;
    } catch (err) {
      if (this.pending === pending) {
        pending.restore();
        this.pending = null;
      }
      throw err;
    }
    if (this.pending === pending) this.pending = null;
    this.deliver(notifications);
    return unit.value;
  }

  /** The desk's memory (agents, the queue, what was announced), to put back if an operation fails. */
  private snapshot(): () => void {
    const restoreRoster = this.roster.snapshot();
    const restoreLine = this.line.snapshot();
    const saved = {
      declined: new Map(this.declined),
      announced: new Map(this.announced),
      lastQueue: this.lastQueue,
      lastStandings: this.lastStandings,
    };
    return () => {
      restoreRoster();
      restoreLine();
      ({ declined: this.declined, announced: this.announced, lastQueue: this.lastQueue, lastStandings: this.lastStandings } = saved);
    };
  }

  /** A run starts with nothing to tell. */
  private begin(): void {
    this.outbox = [];
  }

  /** The run's notifications. */
  private takeOutbox(): Notification[] {
    const notifications = this.outbox;
    this.outbox = [];
    return notifications;
  }

  protected emit(notification: Notification): void {
    this.outbox.push(notification);
  }

  /** Tells the session's user, with the conversation as the event left it (a listener reads nothing back). */
  protected tell(conv: Addressee, news: SessionNews): void {
    const { sessionId, channel, region, state } = conv;
    this.outbox.push({ to: 'session', sessionId, channel, region, state, ...news } as SessionNotification);
  }

  /** The session's standing, remembered as told (so `announce` does not repeat it). */
  protected announceStanding(sessionId: string): Standing {
    const standing = this.standing(sessionId) as Standing;
    this.announced.set(sessionId, standing);
    return standing;
  }

  /** HL_ERR_BAD_TRANSITION unless the conversation's state takes `event`. */
  protected check(conv: Conversation, event: ConversationEvent): void {
    transition(conv.state, event);
  }

  /** Moves the conversation along the table and logs the event. */
  protected async move(
    conv: Conversation,
    event: ConversationEvent,
    patch: Partial<Conversation>,
    data?: Record<string, unknown>,
  ): Promise<Conversation> {
    const to = transition(conv.state, event);
    const at = this.now();
    const next: Conversation = { ...conv, ...patch, state: to, updatedAt: at };
    await this.tx.putConversation(next);
    await this.tx.appendEvent({ sessionId: conv.sessionId, event, from: conv.state, to, at, ...(data && { data }) });
    return next;
  }

  /** The conversation as the store has it (committed; a run's own reads go through its unit). */
  conversation(sessionId: string): Promise<Conversation | undefined> {
    return this.store.getConversation(sessionId);
  }

  protected async conversationOf(sessionId: string): Promise<Conversation> {
    const conv = await this.tx.getConversation(sessionId);
    if (!conv) throw new HlError('HL_ERR_SESSION_NOT_FOUND', [sessionId]);
    return conv;
  }

  /** The conversation, when `agentId` holds it; HL_ERR_AGENT_NOT_OWNER otherwise. */
  protected async held(agentId: string, sessionId: string): Promise<Conversation> {
    const conv = await this.conversationOf(sessionId);
    if (conv.state !== 'agent' || conv.agentId !== agentId) throw new HlError('HL_ERR_AGENT_NOT_OWNER', [agentId, sessionId]);
    return conv;
  }

  protected newConversation(input: { sessionId: string; channel?: Channel; region?: string | null }, at: number): Conversation {
    if (!input.channel) throw new HlError('HL_ERR_SESSION_NOT_FOUND', [input.sessionId]);
    return {
      sessionId: input.sessionId,
      channel: input.channel,
      region: input.region ?? null,
      state: 'bot',
      agentId: null,
      queuedAt: null,
      createdAt: at,
      updatedAt: at,
      lastUserText: null,
    };
  }

  /**
   * Tells each queued session whose standing changed, and the agents when the front of the queue (or a last
   * message in it) or its length changed. O(n) in the queue's length, with no store read (issue 12).
   */
  private announce(): void {
    const average = this.handleTimes.averageMs();
    const online = this.roster.onlineCount();
    const inputs = `${this.line.version}:${average}:${online}`;
    let position = 0;
    for (const { sessionId } of inputs === this.lastStandings ? [] : this.line) {
      position++;
      const estimatedWaitMs = estimateWaitMs(average, position, online);
      const told = this.announced.get(sessionId);
      if (told?.position === position && told.estimatedWaitMs === estimatedWaitMs) continue;
      this.announced.set(sessionId, { position, estimatedWaitMs });
      const { channel, region } = this.line.get(sessionId) as Waiter;
      this.tell({ sessionId, channel, region, state: 'queued' }, { kind: 'position', position, estimatedWaitMs });
    }
    this.lastStandings = inputs;
    // Agents see each waiting user's last message and city, so a new one changes the queue too.
    const page = this.line.front(this.config.queuePage);
    const queue = `${this.line.size}\n${page.map((w) => `${w.sessionId}\u0001${w.region ?? ''}\u0001${w.lastUserText ?? ''}`).join('\n')}`;
    if (queue === this.lastQueue) return;
    this.lastQueue = queue;
    this.emit({ to: 'agents', kind: 'queue', ...this.queue() });
  }

  /** Delivers the notifications; a listener that throws does not stop the others (its error is rethrown after). */
  private deliver(notifications: Notification[]): void {
    let failure: { error: unknown } | undefined;
    for (const notification of notifications) {
      for (const listener of this.listeners) {
        try {
          listener(notification);
        } catch (error) {
          failure ??= { error };
        }
      }
    }
    if (failure) throw failure.error;
  }
}
