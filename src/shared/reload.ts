import { randomUUID } from 'node:crypto';
import type { KnowledgeStore, ReloadResult } from '../kb/store.js';
import type { SharedRedis } from './redis.js';

export interface ReloadLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Published on `<prefix>reload`: which instance reloaded (for the logs) and which app sent it (to skip its own). */
interface ReloadMessage {
  instance: string;
  sender: string;
}

const CHANNEL = 'reload';

/**
 * A knowledge reload on every instance. `reload()` reloads here and, when that worked, asks the others over
 * `<prefix>reload`; each of them then reloads from its own KNOWLEDGE_DIR. A new knowledge base is a new
 * generation of the answer cache (the Assistant keys its replies by it), so every instance stops serving
 * replies worked out from the old one. Without Redis, only here.
 */
export class Reloads {
  /** Tells this app's messages from the others', even when two instances share an INSTANCE_ID. */
  private readonly sender = randomUUID();
  private stop: (() => void) | null = null;

  constructor(
    private readonly knowledge: KnowledgeStore,
    private readonly redis: SharedRedis | null,
    private readonly instance: string,
    private readonly log: ReloadLog,
  ) {}

  /** Listen for the other instances' reloads. */
  async start(): Promise<void> {
    if (!this.redis) return;
    this.stop = await this.redis.subscribe(CHANNEL, (raw) => this.heard(raw));
  }

  close(): void {
    this.stop?.();
    this.stop = null;
  }

  /** Reload here; when it worked, ask the other instances to reload too (a failure to ask is logged). */
  async reload(): Promise<ReloadResult> {
    const result = await this.knowledge.reload();
    if (result.ok && this.redis) {
      const message: ReloadMessage = { instance: this.instance, sender: this.sender };
      await this.redis
        .publish(CHANNEL, JSON.stringify(message))
        .catch((err: unknown) => this.log.warn({ err }, 'knowledge reloaded here only: the other instances could not be asked (redis)'));
    }
    return result;
  }

  private heard(raw: string): void {
    let message: Partial<ReloadMessage> | null;
    try {
      message = JSON.parse(raw) as Partial<ReloadMessage> | null;
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null || message.sender === this.sender) return;
    const from = typeof message.instance === 'string' ? message.instance : 'unknown';
    void this.knowledge.reload().then((r) => {
      if (r.ok) this.log.info({ from, ...r.kb.counts }, 'knowledge reloaded (asked by another instance)');
      else this.log.error({ from, err: r.error }, 'knowledge reload asked by another instance failed; previous knowledge base kept');
    });
  }
}
