import { extractCaps, extractMoney, extractRatios } from './amounts.js';
import { extractDates } from './dates.js';
import { extractDurations, extractPrescriptions } from './durations.js';
import { extractPhones } from './phones.js';
import { extractChannels, extractCodes, extractUrls } from './references.js';
import type { ClauseText, Draft, Fact } from './types.js';

export * from './types.js';

/** Every fact a clause states, each tied to the clause and its exact surface text, in text order. */
export function extractFacts(c: ClauseText): Fact[] {
  const durations = extractDurations(c);
  const ratios = extractRatios(c);
  const drafts: Draft<Fact>[] = [
    ...durations,
    ...extractPrescriptions(c, durations),
    ...extractDates(c),
    ...extractPhones(c),
    ...ratios,
    ...extractCaps(c, ratios),
    ...extractMoney(c),
    ...extractCodes(c),
    ...extractUrls(c),
    ...extractChannels(c),
  ];
  return drafts
    .map((d) => {
      const surface = c.quote.slice(d.start, d.end);
      const end = d.start + surface.trimEnd().length;
      return { ...d, end, clause: c.id, text: surface.trimEnd() } as Fact;
    })
    .sort((a, b) => a.start - b.start || a.type.localeCompare(b.type));
}
