import type { ClauseText } from '../../../../src/ingest/facts/types.js';
import { matchForm } from '../../../../src/ingest/normalize.js';

/** A clause as extractors see it: the quote, its match form, and the notice's year (2020 unless given). */
export function clause(quote: string, options: { heading?: string | null; noticeYear?: number | null } = {}): ClauseText {
  return {
    id: 'test#1',
    quote,
    norm: matchForm(quote),
    heading: options.heading ?? null,
    noticeYear: options.noticeYear === undefined ? 2020 : options.noticeYear,
  };
}

/** The single element of a list, failing the test when there is not exactly one. */
export function only<T>(items: readonly T[]): T {
  if (items.length !== 1) throw new Error(`expected exactly one item, got ${items.length}: ${JSON.stringify(items)}`);
  return items[0] as T;
}

/** The surface text of a draft fact, cut from the clause's quote by its offsets. */
export function surface(c: ClauseText, f: { start: number; end: number }): string {
  return c.quote.slice(f.start, f.end);
}
