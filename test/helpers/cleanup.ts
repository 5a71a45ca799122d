import { afterEach } from 'vitest';

const pending: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of pending.splice(0).reverse()) await fn();
});

/** Runs `fn` after the current test, before what was registered earlier (a socket before the app it is on, the app before its store). */
export function afterTest(fn: () => Promise<void> | void): void {
  pending.push(fn);
}
