/** A phrase found in a text, and where. */
export interface PhraseMatch {
  phrase: string;
  index: number;
}

/**
 * Finds the phrases of a fixed list in a text as a regular expression alternating them, longest first, finds
 * them with its global flag: left to right, at each position the longest phrase that starts there, then on
 * after it. Phrases are looked up by their first character instead of trying each one at each position: a
 * question against a list of a thousand domain terms costs its length in lookups (issue 14).
 */
export class PhraseFinder {
  /** Phrases by their first UTF-16 code unit, longest first. */
  private readonly byFirst = new Map<number, string[]>();

  constructor(phrases: Iterable<string>) {
    for (const p of new Set(phrases)) {
      if (p.length === 0) continue;
      const code = p.charCodeAt(0);
      const list = this.byFirst.get(code);
      if (list) list.push(p);
      else this.byFirst.set(code, [p]);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.length - a.length);
  }

  /** Whether any phrase stands in the text (as `phrases.some((p) => text.includes(p))`). */
  has(text: string): boolean {
    for (let i = 0; i < text.length; i++) if (this.byFirst.get(text.charCodeAt(i))?.some((p) => text.startsWith(p, i))) return true;
    return false;
  }

  find(text: string): PhraseMatch[] {
    const out: PhraseMatch[] = [];
    let i = 0;
    while (i < text.length) {
      const list = this.byFirst.get(text.charCodeAt(i));
      const phrase = list?.find((p) => text.startsWith(p, i));
      if (phrase) {
        out.push({ phrase, index: i });
        i += phrase.length;
      } else i++;
    }
    return out;
  }
}

const finders = new WeakMap<readonly string[], PhraseFinder>();

/**
 * Whether `text` holds any of `phrases` (as `phrases.some((p) => text.includes(p))`), the list's finder built once
 * (issue 14: a question's words were each checked against every cue phrase).
 */
export function holdsAny(text: string, phrases: readonly string[]): boolean {
  let finder = finders.get(phrases);
  if (!finder) {
    finder = new PhraseFinder(phrases);
    finders.set(phrases, finder);
  }
  return finder.has(text);
}
