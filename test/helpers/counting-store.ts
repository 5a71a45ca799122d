import type { Store } from '../../src/store/types.js';

/** The Store methods that only read. */
export const READS: ReadonlySet<string> = new Set([
  'getConversation',
  'loadConversation',
  'listConversations',
  'transcript',
  'getHandoff',
  'openHandoff',
  'latestHandoff',
  'getTicket',
  'listTickets',
  'getSession',
  'listFeedback',
  'events',
]);

export interface Touches {
  /** Calls per method. */
  calls: Record<string, number>;
  reads: number;
  writes: number;
  /** Units opened (`atomic`, `groupCommit`) outside any other, and writes made outside any unit: each its own transaction, or its share of a group commit. */
  units: number;
  /** Writes made outside any unit. */
  bareWrites: number;
}

/** The store with every call counted; `take()` returns the counts since the last take. */
export function counting(store: Store): { store: Store; take: () => Touches } {
  let calls: Record<string, number> = {};
  let units = 0;
  let bareWrites = 0;
  let depth = 0;
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      // `settled` neither reads nor writes: it waits on the transaction.
      if (typeof value !== 'function' || prop === 'close' || prop === 'settled') return value;
      const name = String(prop);
      return (...args: unknown[]) => {
        calls[name] = (calls[name] ?? 0) + 1;
        const unit = name === 'atomic' || name === 'groupCommit';
        if (unit && depth === 0) units++;
        if (!unit && !READS.has(name) && depth === 0) {
          units++;
          bareWrites++;
        }
        if (unit) depth++;
        try {
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        } finally {
          if (unit) depth--;
        }
      };
    },
  });
  return {
    store: proxy,
    take() {
      const taken = calls;
      const sum = (pick: (name: string) => boolean) => Object.entries(taken).reduce((n, [name, count]) => n + (pick(name) ? count : 0), 0);
      const touches = {
        calls: taken,
        reads: sum((n) => READS.has(n)),
        writes: sum((n) => !READS.has(n) && n !== 'atomic' && n !== 'groupCommit'),
        units,
        bareWrites,
      };
      calls = {};
      units = 0;
      bareWrites = 0;
      return touches;
    },
  };
}
