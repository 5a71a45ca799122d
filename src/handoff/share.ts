import type { SharedRedis } from '../shared/redis.js';
import type { Notification } from './notifications.js';

/** What one instance's desk run tells the others once it has committed (issue 15). */
export interface DeskNews {
  /** The instance that ran it. */
  origin: string;
  /** The desk's state as the run saved it, with its version; null when the run changed nothing of it. */
  state: string | null;
  version: number;
  notifications: Notification[];
}

/**
 * How the handoff desk shares itself with the other instances of the service (issue 15). The state (the queue,
 * the agents and their chats) is kept in the store, changed under the store's desk lock in the same transaction as
 * the records; this carries what is live: each run's news to every instance, and which instances are alive.
 */
export interface DeskShare {
  readonly instanceId: string;
  /** Tells the other instances; never throws (an instance that misses news reads the state at its next run). */
  publish(news: DeskNews): void;
  /** Listens to every instance's news (its own included). */
  subscribe(fn: (news: DeskNews) => void): void;
  /** The instances alive now: this one, and those whose heartbeat is recent. Rejects when that cannot be known. */
  live(): Promise<ReadonlySet<string>>;
  close(): Promise<void>;
}

export interface RedisDeskShareOptions {
  /** The process's Redis connections (keys and channels under the service's prefix). */
  redis: SharedRedis;
  instanceId: string;
  /** How often this instance says it is alive; default 1 s. */
  heartbeatMs?: number;
  /** An instance silent this long is dead: its agents' chats go back to the queue; default 10 s. */
  deadAfterMs?: number;
  /** Told when publishing or the heartbeat fails (Redis away: the connections log that once themselves). */
  onError?: (err: unknown) => void;
}

const CHANNEL = 'desk';
const INSTANCES = 'instances';

/** The desk shared over Redis: news on the `desk` channel, heartbeats in the `instances` sorted set scored by time. */
export class RedisDeskShare implements DeskShare {
  readonly instanceId: string;
  private readonly timer: NodeJS.Timeout;
  private readonly listeners: ((news: DeskNews) => void)[] = [];
  private readonly deadAfterMs: number;
  private unsubscribe: (() => void) | null = null;

  private constructor(private readonly options: RedisDeskShareOptions) {
    this.instanceId = options.instanceId;
    this.deadAfterMs = options.deadAfterMs ?? 10_000;
    this.beat();
    this.timer = setInterval(() => this.beat(), options.heartbeatMs ?? 1000);
    this.timer.unref();
  }

  /** Subscribed to the other instances' news (or, while Redis is away, as soon as it is back). */
  static async create(options: RedisDeskShareOptions): Promise<RedisDeskShare> {
    const share = new RedisDeskShare(options);
    share.unsubscribe = await options.redis.subscribe(CHANNEL, (message) => share.receive(message));
    return share;
  }

  private receive(message: string): void {
    let news: DeskNews;
    try {
      news = JSON.parse(message) as DeskNews;
    } catch (err) {
      this.options.onError?.(err);
      return;
    }
    for (const fn of this.listeners) fn(news);
  }

  private beat(): void {
    const now = Date.now();
    this.options.redis.commands
      .multi()
      .zadd(INSTANCES, now, this.instanceId)
      // Instances silent for a day are forgotten.
      .zremrangebyscore(INSTANCES, '-inf', now - 86_400_000)
      .exec()
      .catch((err: unknown) => this.options.onError?.(err));
  }

  publish(news: DeskNews): void {
    this.options.redis.publish(CHANNEL, JSON.stringify(news)).catch((err: unknown) => this.options.onError?.(err));
  }

  subscribe(fn: (news: DeskNews) => void): void {
    this.listeners.push(fn);
  }

  async live(): Promise<ReadonlySet<string>> {
    const ids = await this.options.redis.commands.zrangebyscore(INSTANCES, Date.now() - this.deadAfterMs, '+inf');
    return new Set([...ids, this.instanceId]);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.options.redis.commands.zrem(INSTANCES, this.instanceId).catch(() => 0);
  }
}
