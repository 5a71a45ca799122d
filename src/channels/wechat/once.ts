import { LRUCache } from 'lru-cache';
import type { WechatAnswer } from './answer.js';

/** What to reply to a push now: its answer, or `late` (reply `success`; the answer goes out through the customer-service API). */
export type PushOutcome = WechatAnswer | 'late';

/** Where a failure is said (the channel's logger). */
export interface OnceLog {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Each push answered once, however often WeChat retries it (and on whichever instance a retry lands). The
 * first arrival runs `compute`; it and every retry get the answer if it is ready within the reply budget,
 * else `late` — and then `deliverLate` is called once with the answer when it is ready.
 */
export interface PushOnce {
  answer(id: string, compute: () => Promise<WechatAnswer>, deliverLate: (a: WechatAnswer) => void): Promise<PushOutcome>;
}

/** What a push whose answer failed gets. */
export const BUSY: WechatAnswer = { kind: 'text', text: '抱歉，系统繁忙，请稍后再试。' };

/** How long a push is remembered: WeChat retries within about 15 s, three times. */
export const PUSH_TTL_MS = 5 * 60_000;

/** One push being answered: retries of it share the answer, and know when it went out late. */
interface Pending {
  answer: Promise<WechatAnswer>;
  late: boolean;
}

/** `late` once `ms` have passed; `cancel` stops the clock. */
export function budget(ms: number): { late: Promise<'late'>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  return { late, cancel: () => clearTimeout(timer) };
}

/** Pushes remembered in this process (one instance; without REDIS_URL): at most 20,000, for PUSH_TTL_MS. */
export class LocalPushOnce implements PushOnce {
  private readonly pending = new LRUCache<string, Pending>({ max: 20_000, ttl: PUSH_TTL_MS });

  constructor(
    private readonly budgetMs: number,
    private readonly log: OnceLog,
  ) {}

  async answer(id: string, compute: () => Promise<WechatAnswer>, deliverLate: (a: WechatAnswer) => void): Promise<PushOutcome> {
    let job = this.pending.get(id);
    const retry = job !== undefined;
    if (!job) {
      job = { answer: compute(), late: false };
      this.pending.set(id, job);
    }
    if (job.late) return 'late';
    const clock = budget(this.budgetMs);
    const first = await Promise.race([job.answer, clock.late])
      .catch((err: unknown) => {
        this.log.error({ err }, 'WeChat push failed');
        return BUSY;
      })
      .finally(clock.cancel);
    if (first !== 'late') return first;
    // Not ready in time: the first arrival hands the answer to the customer-service API, once.
    if (!job.late && !retry) {
      job.late = true;
      job.answer.then(deliverLate, (err: unknown) => this.log.error({ err }, 'late WeChat answer failed'));
    }
    job.late = true;
    return 'late';
  }
}
