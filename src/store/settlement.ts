import { HlError } from '../errors.js';

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Who waits on the units running now to commit (`Store.settled`), a list per unit, innermost last. A unit that
 * returns hands its waiters to the unit around it; the outermost hands them to whatever commits its transaction.
 * A unit that throws has its writes undone: its waiters are told at once.
 */
export class Settlement {
  private readonly units: Waiter[][] = [];

  enter(): void {
    this.units.push([]);
  }

  /** The innermost unit returned: its waiters, when it was the outermost (else they wait on the unit around it). */
  leave(): Waiter[] {
    const mine = this.units.pop() ?? [];
    const outer = this.units.at(-1);
    if (!outer) return mine;
    for (const w of mine) outer.push(w);
    return [];
  }

  /** The innermost unit threw and its writes were undone. */
  fail(cause: unknown): void {
    const err = new HlError('HL_ERR_INTERNAL', [], { cause });
    for (const w of this.units.pop() ?? []) w.reject(err);
  }

  /** A promise on the innermost unit running, or null when none is. */
  wait(): Promise<void> | null {
    const unit = this.units.at(-1);
    if (!unit) return null;
    const settled = new Promise<void>((resolve, reject) => unit.push({ resolve, reject }));
    // A caller that never waits must not crash the process with an unhandled rejection; one that waits still gets it.
    settled.catch(() => {});
    return settled;
  }
}

/** Tells each waiter its unit committed. */
export function resolveAll(waiters: readonly Waiter[]): void {
  for (const w of waiters) w.resolve();
}
