/** A string as a regular expression that matches it literally. */
export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const anyOf = new WeakMap<readonly string[], RegExp>();

/**
 * Whether `text` holds any of `phrases` (as `phrases.some((p) => text.includes(p))`), by one regular expression
 * compiled once per list (issue 14: a question's words were each checked against every cue phrase).
 */
export function holdsAny(text: string, phrases: readonly string[]): boolean {
  let re = anyOf.get(phrases);
  if (!re) {
    // An empty list holds nothing: a pattern that never matches.
    re = phrases.length > 0 ? new RegExp(phrases.map(escapeRe).join('|')) : /(?!)/;
    anyOf.set(phrases, re);
  }
  return re.test(text);
}
