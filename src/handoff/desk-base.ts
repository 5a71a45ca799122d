import { HlError } from '../errors.js';
import type { Channel, Conversation, Store } from '../store/types.js';
import { estimateWaitMs, HandleTimes } from './estimate.js';
import { WaitingLine } from './line.js';
import { type ConversationEvent, transition } from './machine.js';
import type { Listener, Notification, QueueItem, Standing } from './notifications.js';
import { Roster } from './roster.js';

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
 * The desk's state and the steps its operations share. Each public operation runs in `run`: one store
 * transaction, in-memory state restored if it throws, then the queue standings announced and the
 * notifications delivered once everything has committed.
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
  private depth = 0;

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

  protected run<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    const restoreRoster = this.roster.snapshot();
    const restoreLine = this.line.snapshot();
    const saved = {
      declined: new Map(this.declined),
      announced: new Map(this.announced),
      lastQueue: this.lastQueue,
      lastStandings: this.lastStandings,
    };
    this.depth++;
    let result: T;
    try {
      result = this.store.atomic(() => {
        const value = fn();
        this.announce();
        return value;
      });
    } catch (err) {
      restoreRoster();
      restoreLine();
      ({ declined: this.declined, announced: this.announced, lastQueue: this.lastQueue, lastStandings: this.lastStandings } = saved);
      this.outbox = [];
      throw err;
    } finally {
      this.depth--;
    }
    this.flush();
    return result;
  }

  protected emit(notification: Notification): void {
    this.outbox.push(notification);
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
  protected move(conv: Conversation, event: ConversationEvent, patch: Partial<Conversation>, data?: Record<string, unknown>): Conversation {
    const to = transition(conv.state, event);
    const at = this.now();
    const next: Conversation = { ...conv, ...patch, state: to, updatedAt: at };
    this.store.putConversation(next);
    this.store.appendEvent({ sessionId: conv.sessionId, event, from: conv.state, to, at, ...(data && { data }) });
    return next;
  }

  protected conversationOf(sessionId: string): Conversation {
    const conv = this.store.getConversation(sessionId);
    if (!conv) throw new HlError('HL_ERR_SESSION_NOT_FOUND', [sessionId]);
    return conv;
  }

  /** The conversation, when `agentId` holds it; HL_ERR_AGENT_NOT_OWNER otherwise. */
  protected held(agentId: string, sessionId: string): Conversation {
    const conv = this.conversationOf(sessionId);
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
      this.emit({ to: 'session', sessionId, kind: 'position', position, estimatedWaitMs });
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
  private flush(): void {
    const batch = this.outbox;
    this.outbox = [];
    let failure: { error: unknown } | undefined;
    for (const notification of batch) {
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
