import type { WechatAnswer } from '../channels/wechat/answer.js';
import { BUSY, budget, LocalPushOnce, type OnceLog, PUSH_TTL_MS, type PushOnce, type PushOutcome } from '../channels/wechat/once.js';
import type { SharedRedis } from './redis.js';

/** A push's record under `<prefix>wx:<id>`: claimed by an instance, answered, or gone out late. */
type PushRecord = { s: 'pending'; by: string } | { s: 'done'; a: WechatAnswer } | { s: 'late' };
/** Published on `<prefix>wx` when a push is settled, so that the instances waiting for it reply at once. */
type Settled = { id: string } & PushRecord;

const CHANNEL = 'wx';
const key = (id: string) => `wx:${id}`;

function parse<T>(raw: string | null): T | null {
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

/**
 * Pushes answered once across instances. `SET <prefix>wx:<id> NX PX` decides which instance answers a
 * push (the claim held for twice the reply budget); it keeps the answer there (PUSH_TTL_MS) and publishes it, and a retry on any instance replies with
 * it — or, once the answer is late, `success` at once, as one process does (the instance that answers
 * sends the late answer through the customer-service API, once). While Redis does not answer, a push is
 * answered in this process (LocalPushOnce): a retry on another instance may then be answered twice, never
 * left unanswered.
 */
export class RedisPushOnce implements PushOnce {
  /** Requests on this instance waiting for a push another request (on any instance) is answering. */
  private readonly waiting = new Map<string, Set<(r: PushRecord) => void>>();
  private readonly local: LocalPushOnce;

  private constructor(
    private readonly redis: SharedRedis,
    private readonly instance: string,
    private readonly budgetMs: number,
    private readonly log: OnceLog,
  ) {
    this.local = new LocalPushOnce(budgetMs, log);
  }

  static async create(redis: SharedRedis, instance: string, budgetMs: number, log: OnceLog): Promise<RedisPushOnce> {
    const once = new RedisPushOnce(redis, instance, budgetMs, log);
    await redis.subscribe(CHANNEL, (raw) => {
      const settled = parse<Settled>(raw);
      if (settled) for (const wake of once.waiting.get(settled.id) ?? []) wake(settled);
    });
    return once;
  }

  async answer(id: string, compute: () => Promise<WechatAnswer>, deliverLate: (a: WechatAnswer) => void): Promise<PushOutcome> {
    let claimed: boolean;
    try {
      const claim: PushRecord = { s: 'pending', by: this.instance };
      // A claim outlives the reply budget (by then it is settled: done or late) only when its instance died:
      // it then lapses, and WeChat's next retry is answered by the instance it lands on.
      claimed = (await this.redis.commands.set(key(id), JSON.stringify(claim), 'PX', 2 * this.budgetMs, 'NX')) === 'OK';
    } catch (err) {
      this.log.warn({ err }, 'redis did not answer: this push is answered here');
      return this.local.answer(id, compute, deliverLate);
    }
    return claimed ? this.own(id, compute, deliverLate) : this.await(id);
  }

  /** This instance answers the push: within the budget, or late through the customer-service API. */
  private async own(id: string, compute: () => Promise<WechatAnswer>, deliverLate: (a: WechatAnswer) => void): Promise<PushOutcome> {
    const answer = compute();
    const clock = budget(this.budgetMs);
    const first = await Promise.race([answer, clock.late])
      .catch((err: unknown) => {
        this.log.error({ err }, 'WeChat push failed');
        return BUSY;
      })
      .finally(clock.cancel);
    if (first === 'late') {
      answer.then(deliverLate, (err: unknown) => this.log.error({ err }, 'late WeChat answer failed'));
      void this.settle(id, { s: 'late' });
      return 'late';
    }
    void this.settle(id, { s: 'done', a: first });
    return first;
  }

  /** Keep how the push ended and tell the instances waiting for it; a failure costs only their wait. */
  private async settle(id: string, record: PushRecord): Promise<void> {
    const settled: Settled = { id, ...record };
    try {
      await this.redis.commands
        .pipeline()
        .set(key(id), JSON.stringify(record), 'PX', PUSH_TTL_MS, 'XX')
        .publish(this.redis.channel(CHANNEL), JSON.stringify(settled))
        .exec();
    } catch (err) {
      this.log.warn({ err }, 'redis did not answer: a retry of this push on another instance will reply success');
    }
  }

  /**
   * Another request is answering the push: its answer when it comes within the budget, else `late`. Listens
   * before it reads, so an answer published in between is not missed.
   */
  private await(id: string): Promise<PushOutcome> {
    return new Promise<PushOutcome>((resolve) => {
      let set = this.waiting.get(id);
      if (!set) {
        set = new Set();
        this.waiting.set(id, set);
      }
      const waiters = set;
      const clock = budget(this.budgetMs);
      const finish = (outcome: PushOutcome) => {
        clock.cancel();
        waiters.delete(wake);
        if (waiters.size === 0 && this.waiting.get(id) === waiters) this.waiting.delete(id);
        resolve(outcome);
      };
      const wake = (r: PushRecord | null) => {
        if (r === null || r.s === 'late') finish('late');
        else if (r.s === 'done') finish(r.a);
      };
      waiters.add(wake);
      void clock.late.then(() => finish('late'));
      this.redis.commands.get(key(id)).then(
        (raw) => wake(parse<PushRecord>(raw)),
        () => finish('late'),
      );
    });
  }
}
