import type { Channel } from '../store/types.js';

/** A session waiting for a person, kept in memory so the queue is read without the store. */
export interface Waiter {
  sessionId: string;
  channel: Channel;
  region: string | null;
  reason: string;
  lastUserText: string | null;
  /** When it (last) joined the queue, epoch ms. */
  queuedAt: number;
  /** Where the request came from (a client address), for the per-address cap; unknown after a restart or a requeue. */
  origin: string | null;
}

/**
 * The queue of waiting sessions, front first. Joining (at either end) and looking up a session are O(1);
 * leaving is O(n) once; positions are indexed once after a change, so reading every standing is O(n) in
 * all (issue 12: an `indexOf` per waiting session made every desk operation quadratic in the queue's length).
 */
export class WaitingLine {
  private order: string[] = [];
  private readonly waiters = new Map<string, Waiter>();
  private readonly perOrigin = new Map<string, number>();
  /** 0-based index of each session in `order`; null once the order changed. */
  private index: Map<string, number> | null = null;
  private changes = 0;

  /** Changes with every join and leave: standings need reading again only when it has. */
  get version(): number {
    return this.changes;
  }

  get size(): number {
    return this.order.length;
  }

  has(sessionId: string): boolean {
    return this.waiters.has(sessionId);
  }

  get(sessionId: string): Waiter | undefined {
    return this.waiters.get(sessionId);
  }

  /** Sessions from `origin` waiting now. */
  fromOrigin(origin: string): number {
    return this.perOrigin.get(origin) ?? 0;
  }

  /** 1-based position, or 0 when the session is not waiting. */
  position(sessionId: string): number {
    if (!this.waiters.has(sessionId)) return 0;
    this.index ??= new Map(this.order.map((id, i) => [id, i]));
    return (this.index.get(sessionId) ?? -1) + 1;
  }

  /** Joins at the back (a new request) or the front (a chat an agent gave back). */
  join(waiter: Waiter, end: 'back' | 'front'): void {
    this.leave(waiter.sessionId);
    this.changes++;
    this.waiters.set(waiter.sessionId, waiter);
    if (waiter.origin !== null) this.perOrigin.set(waiter.origin, this.fromOrigin(waiter.origin) + 1);
    if (end === 'back') {
      this.index?.set(waiter.sessionId, this.order.length);
      this.order.push(waiter.sessionId);
    } else {
      this.order.unshift(waiter.sessionId);
      this.index = null;
    }
  }

  /** Takes the session out of the queue; false when it was not in it. */
  leave(sessionId: string): boolean {
    const waiter = this.waiters.get(sessionId);
    if (!waiter) return false;
    this.changes++;
    this.waiters.delete(sessionId);
    if (waiter.origin !== null) {
      const left = this.fromOrigin(waiter.origin) - 1;
      if (left > 0) this.perOrigin.set(waiter.origin, left);
      else this.perOrigin.delete(waiter.origin);
    }
    const at = this.index?.get(sessionId) ?? this.order.indexOf(sessionId);
    if (at === this.order.length - 1) {
      this.order.pop();
      this.index?.delete(sessionId);
    } else {
      this.order.splice(at, 1);
      this.index = null;
    }
    return true;
  }

  /** Keeps what agents see of a waiting session current (its last message, its city). */
  update(sessionId: string, patch: Partial<Pick<Waiter, 'lastUserText' | 'region'>>): void {
    const waiter = this.waiters.get(sessionId);
    if (waiter) this.waiters.set(sessionId, { ...waiter, ...patch });
  }

  /** The waiting sessions, front first. */
  *[Symbol.iterator](): IterableIterator<Waiter> {
    for (const id of this.order) yield this.waiters.get(id) as Waiter;
  }

  /** The first `n` waiting sessions. */
  front(n: number): Waiter[] {
    return this.order.slice(0, n).map((id) => this.waiters.get(id) as Waiter);
  }

  /** Every waiting session, front first (the desk's shared state). */
  saved(): Waiter[] {
    return [...this];
  }

  /** The queue as `saved` gave it. */
  restore(waiters: readonly Waiter[]): void {
    this.order = [];
    this.waiters.clear();
    this.perOrigin.clear();
    this.index = null;
    for (const w of waiters) this.join(w, 'back');
  }

  /** A copy to restore if an operation fails half-way. */
  snapshot(): () => void {
    const order = [...this.order];
    const waiters = new Map(this.waiters);
    const perOrigin = new Map(this.perOrigin);
    return () => {
      this.order = order;
      this.waiters.clear();
      for (const [k, v] of waiters) this.waiters.set(k, v);
      this.perOrigin.clear();
      for (const [k, v] of perOrigin) this.perOrigin.set(k, v);
      this.index = null;
      this.changes++;
    };
  }
}
