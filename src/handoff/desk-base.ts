import { HlError } from '../errors.js';
import type { Channel, Conversation, Store, StoreData } from '../store/types.js';
import { estimateWaitMs, HandleTimes } from './estimate.js';
import { type Waiter, WaitingLine } from './line.js';
import { type ConversationEvent, transition } from './machine.js';
import type { Listener, Notification, QueueItem, SessionNotification, Standing } from './notifications.js';
import { Roster, type SavedAgent } from './roster.js';
import type { DeskNews, DeskShare } from './share.js';

/** What a session notification says of its conversation, as the event left it. */
export type Addressee = Pick<Conversation, 'sessionId' | 'channel' | 'region' | 'state'>;

/** What the desk keeps of itself in the store, shared by the instances (issue 15). */
interface SavedDesk {
  line: Waiter[];
  agents: SavedAgent[];
  declined: [string, string[]][];
  announced: [string, Standing][];
  handleTimes: number[];
  lastQueue: string;
  lastStandings: string;
}

/**
 * Thrown by a step that needs the desk's state (the queue, the agents) in a run that holds only the shared lock: the
 * run is undone and made again with the exclusive lock.
 */
class NeedsDesk extends Error {}

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
  /** The other instances, when there are (issue 15): the desk's state is then kept in the store, its news published. */
  share?: DeskShare;
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
  protected readonly share: DeskShare | null;
  /** The version of the shared state this desk's memory holds (0: none read yet). */
  private version = 0;
  /** The lock the run in progress holds: `shared` only lets it read and write records of conversations with the bot. */
  private mode: 'shared' | 'exclusive' = 'exclusive';
  /** The state the run in progress saved, for the news. */
  private saved: string | null = null;

  constructor(options: DeskOptions) {
    this.store = options.store;
    this.now = options.now;
    this.config = Object.freeze({ ...DEFAULT_DESK_CONFIG, ...options.config });
    this.handleTimes = new HandleTimes(this.config.handleWindow, this.config.defaultHandleMs);
    this.share = options.share ?? null;
    this.share?.subscribe((news) => this.receive(news));
  }

  /** Whether the desk's memory holds a state the instances share (read from the store in this run or before). */
  protected get shared(): boolean {
    return this.version > 0;
  }

  /** This instance, when there are several. */
  protected get instance(): string | null {
    return this.share?.instanceId ?? null;
  }

  /** Another instance's run committed: its state (when newer than ours) read in between our runs, its news delivered here. */
  private receive(news: DeskNews): void {
    if (news.origin === this.share?.instanceId) return;
    this.exclusive(async () => {
      if (news.state !== null && news.version > this.version) this.load(news.state, news.version);
    }).then(
      () => this.deliver(news.notifications, true),
      () => {},
    );
  }

  private dump(): string {
    const saved: SavedDesk = {
      line: this.line.saved(),
      agents: this.roster.saved(),
      declined: [...this.declined].map(([k, v]) => [k, [...v]]),
      announced: [...this.announced],
      handleTimes: this.handleTimes.saved(),
      lastQueue: this.lastQueue,
      lastStandings: this.lastStandings,
    };
    return JSON.stringify(saved);
  }

  private load(state: string, version: number): void {
    const saved = JSON.parse(state) as SavedDesk;
    this.line.restore(saved.line);
    this.roster.restore(saved.agents);
    this.declined = new Map(saved.declined.map(([k, v]) => [k, new Set(v)]));
    this.announced = new Map(saved.announced);
    this.handleTimes.restore(saved.handleTimes);
    this.lastQueue = saved.lastQueue;
    // Standings are worked out again here: the queue's version counter is this process's own.
    this.lastStandings = '';
    this.version = version;
  }

  /** A step that reads or changes the queue or the agents: in a run with the shared lock, the run goes again with the exclusive one. */
  protected needDesk(): void {
    if (this.mode === 'shared') throw new NeedsDesk();
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

  /**
   * `fn` on the unit's records, with the standings announced at its end. Shared by instances: under the store's desk
   * lock, with the desk's state read first when another instance changed it, and saved at the end when this run did.
   */
  private within<T>(fn: () => Promise<T>, mode: 'shared' | 'exclusive' = 'exclusive'): (tx: StoreData) => Promise<T> {
    return async (tx) => {
      this.unit = tx;
      this.mode = mode;
      this.saved = null;
      try {
        let before: string | null = null;
        if (this.share) {
          const row = await tx.lockDesk(mode);
          if (row && row.version !== this.version) this.load(row.state, row.version);
          if (mode === 'exclusive') before = this.dump();
        }
        const value = await fn();
        this.announce();
        if (before !== null) {
          const after = this.dump();
          if (after !== before) {
            this.version = await tx.saveDesk(after);
            this.saved = after;
          }
        }
        return value;
      } finally {
        this.unit = null;
        this.mode = 'exclusive';
      }
    };
  }

  /** Tells the other instances what the run just committed did. */
  private publish(notifications: Notification[], saved: string | null): void {
    if (this.share && (saved !== null || notifications.length > 0))
      this.share.publish({ origin: this.share.instanceId, state: saved, version: this.version, notifications });
  }

  protected run<T>(fn: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      const restore = this.snapshot();
      // The grouped runs waiting for their commit, which this run's commit makes too.
      const pending = this.pending;
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
        // `fn` threw: only its writes were undone. The commit failed: so were the grouped runs' waiting with it (whose
        // own failure may have been told first: they put the desk back in turn, and find it done).
        (ran && pending ? pending.restore : restore)();
        if (ran) this.pending = null;
        this.outbox = [];
        throw err;
      }
      // Everything written so far has committed, grouped runs' too.
      this.pending = null;
      const notifications = this.takeOutbox();
      this.publish(notifications, this.saved);
      this.deliver(notifications);
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
    const { unit, notifications, pending, saved } = await this.exclusive(async () => {
      const restore = this.snapshot();
      this.pending ??= { restore };
      const pending = this.pending;
      // Shared by instances, a turn first takes the shared lock: most turns are with the bot and need no more.
      for (const mode of this.share ? (['shared', 'exclusive'] as const) : (['exclusive'] as const)) {
        this.begin();
        try {
          const unit = await this.store.groupCommit(this.within(fn, mode));
          return { unit, notifications: this.takeOutbox(), pending, saved: this.saved };
        } catch (err) {
          restore();
          this.outbox = [];
          if (err instanceof NeedsDesk && mode === 'shared') continue;
          if (this.pending === pending && pending.restore === restore) this.pending = null;
          throw err;
        }
      }
      throw new HlError('HL_ERR_INTERNAL', [], { cause: new Error('a turn found no lock to run under') });
    });
    try {
      await unit.committed;
    } catch (err) {
      // In turn, not in the middle of another run; a run whose commit failed with it has done it already.
      await this.exclusive(async () => {
        if (this.pending !== pending) return;
        pending.restore();
        this.pending = null;
      });
      throw err;
    }
    if (this.pending === pending) this.pending = null;
    this.publish(notifications, saved);
    this.deliver(notifications);
    return unit.value;
  }

  /** The desk's memory (agents, the queue, what was announced), to put back if an operation fails. */
  private snapshot(): () => void {
    const restoreRoster = this.roster.snapshot();
    const restoreLine = this.line.snapshot();
    const handleTimes = this.handleTimes.saved();
    const saved = {
      declined: new Map(this.declined),
      announced: new Map(this.announced),
      lastQueue: this.lastQueue,
      lastStandings: this.lastStandings,
      version: this.version,
    };
    return () => {
      restoreRoster();
      restoreLine();
      this.handleTimes.restore(handleTimes);
      ({
        declined: this.declined,
        announced: this.announced,
        lastQueue: this.lastQueue,
        lastStandings: this.lastStandings,
        version: this.version,
      } = saved);
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

  /**
   * Delivers the notifications (`remote`: another instance's run made them); a listener that throws does not stop the
   * others (its error is rethrown after).
   */
  private deliver(notifications: Notification[], remote = false): void {
    let failure: { error: unknown } | undefined;
    for (const notification of notifications) {
      for (const listener of this.listeners) {
        try {
          listener(notification, remote);
        } catch (error) {
          failure ??= { error };
        }
      }
    }
    if (failure) throw failure.error;
  }
}
