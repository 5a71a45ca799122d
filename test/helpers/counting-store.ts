import { READ_METHODS, type Store, type StoreData, WRITE_METHODS } from '../../src/store/types.js';

/** The Store methods that only read. */
export const READS: ReadonlySet<string> = new Set(READ_METHODS);
const WRITES: ReadonlySet<string> = new Set(WRITE_METHODS);
const UNITS: ReadonlySet<string> = new Set(['atomic', 'groupCommit']);

export interface Touches {
  /** Calls per method, on the store and on the records (`tx`) its units are given. */
  calls: Record<string, number>;
  reads: number;
  writes: number;
  /** Units opened (`atomic`, `groupCommit`) and writes made outside any unit: each its own transaction, or its share of a group commit. */
  units: number;
  /** Writes made outside any unit. */
  bareWrites: number;
}

/**
 * The store with every call counted, the calls its units make on the `tx` they are given too; `take()` returns the
 * counts since the last take. Units do not nest: a call on the store itself is outside any unit.
 */
export function counting(store: Store): { store: Store; take: () => Touches } {
  let calls: Record<string, number> = {};
  let units = 0;
  let bareWrites = 0;
  const count = (name: string) => {
    calls[name] = (calls[name] ?? 0) + 1;
  };
  /** The records a unit is given, with each read and write counted. */
  const countedTx = (tx: StoreData): StoreData =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        const name = String(prop);
        if (typeof value !== 'function' || !(READS.has(name) || WRITES.has(name))) return value;
        return (...args: unknown[]) => {
          count(name);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      const name = String(prop);
      // `close` and what only one kind has (`settings` …) neither read nor write the records.
      if (typeof value !== 'function' || !(READS.has(name) || WRITES.has(name) || UNITS.has(name))) return value;
      return (...args: unknown[]) => {
        count(name);
        if (UNITS.has(name)) {
          units++;
          const fn = args[0] as (tx: StoreData) => Promise<unknown>;
          return (value as (fn: (tx: StoreData) => Promise<unknown>) => unknown).call(target, (tx: StoreData) => fn(countedTx(tx)));
        }
        if (WRITES.has(name)) {
          units++;
          bareWrites++;
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
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
        writes: sum((n) => WRITES.has(n)),
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
