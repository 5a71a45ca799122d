import { Redis, type RedisOptions } from 'ioredis';

/** What the connections say about themselves: a line when Redis goes away and one when it is back. */
export interface RedisLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface SharedRedisOptions {
  url: string;
  /** Put before every key (by ioredis) and every channel name (here): instances that work together share it. */
  prefix: string;
  /** Shown in Redis's CLIENT LIST, to tell the instances' connections apart. */
  name: string;
  log: RedisLog;
}

/**
 * A command waits at most this long, queued while Redis is away included: callers then fall back (WeChat
 * answers on its own, the rate limit lets the request through) or say so (`/readyz`), rather than hang.
 */
export const COMMAND_TIMEOUT_MS = 1000;

/** Reconnect attempts, for ever: 100 ms, 200 ms … then every 2 s. */
const retryStrategy = (times: number) => Math.min(times * 100, 2000);

/**
 * The process's two connections to Redis: one for commands (keys under the prefix) and one that only
 * subscribes (a subscribing connection can send nothing else). Both connect in the background and
 * reconnect by themselves; a refused or lost connection is logged, never thrown at the process.
 */
export class SharedRedis {
  /** For commands; its keys are prefixed by ioredis (`set('wx:1')` writes `<prefix>wx:1`). */
  readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();
  private closed = false;

  constructor(private readonly options: SharedRedisOptions) {
    const common: RedisOptions = { connectionName: options.name, retryStrategy };
    this.commands = new Redis(options.url, {
      ...common,
      keyPrefix: options.prefix,
      maxRetriesPerRequest: 1,
      commandTimeout: COMMAND_TIMEOUT_MS,
    });
    // Subscriptions wait for the connection and are made again after a reconnect (ioredis's autoResubscribe).
    this.subscriber = new Redis(options.url, { ...common, maxRetriesPerRequest: null });
    // Commands wait for the first connection (a start), but once it is lost they fail at once until it is back
    // rather than each wait for a reconnect: while Redis is away a request does not pay for it.
    this.commands.on('reconnecting', () => {
      this.commands.options.enableOfflineQueue = false;
    });
    this.commands.on('ready', () => {
      this.commands.options.enableOfflineQueue = true;
    });
    this.watch(this.commands, 'commands');
    this.watch(this.subscriber, 'subscriber');
    this.subscriber.on('message', (channel: string, message: string) => {
      for (const handler of this.handlers.get(channel) ?? []) handler(message);
    });
  }

  /** A channel's full name: `<prefix><name>`. */
  channel(name: string): string {
    return `${this.options.prefix}${name}`;
  }

  /** Redis answers: throws at once while it is known to be away, or when it does not answer within COMMAND_TIMEOUT_MS. */
  async ping(): Promise<void> {
    const status = this.commands.status;
    if (status === 'reconnecting' || status === 'close' || status === 'end') throw new Error(`redis connection ${status}`);
    await this.commands.ping();
  }

  /** Publish on `<prefix><name>`. */
  async publish(name: string, message: string): Promise<void> {
    await this.commands.publish(this.channel(name), message);
  }

  /**
   * Call `handler` with every message on `<prefix><name>`, this process's own included. Resolves once
   * subscribed, or after COMMAND_TIMEOUT_MS while Redis is away (a start does not wait for it: the
   * subscription is made when it is back). Returns how to stop.
   */
  async subscribe(name: string, handler: (message: string) => void): Promise<() => void> {
    const channel = this.channel(name);
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      await within(COMMAND_TIMEOUT_MS, this.subscriber.subscribe(channel));
    }
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size > 0 || this.closed) return;
      this.handlers.delete(channel);
      this.subscriber.unsubscribe(channel).catch(() => {});
    };
  }

  /** Close both connections (a clean QUIT when connected). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([end(this.commands), end(this.subscriber)]);
  }

  private watch(connection: Redis, role: string): void {
    let down = false;
    connection.on('error', (err: Error & { code?: string }) => {
      if (down || this.closed) return;
      down = true;
      this.options.log.warn({ role, code: err.code, reason: err.message }, 'redis unreachable; retrying');
    });
    connection.on('ready', () => {
      if (!down) return;
      down = false;
      this.options.log.info({ role }, 'redis reachable again');
    });
  }
}

/** Wait for `work`, at most `ms`; its failure is not this wait's (ioredis retries a subscription by itself). */
async function within(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([work.catch(() => {}), elapsed]);
  clearTimeout(timer);
}

async function end(connection: Redis): Promise<void> {
  if (connection.status !== 'ready') return connection.disconnect();
  await connection.quit().catch(() => connection.disconnect());
}
