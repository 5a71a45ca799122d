/** Sentence and phrase boundaries in match form (where `，；：` are already folded to `,;:`). */
const SENTENCE_END = /[。;!?\n]/;
const PHRASE_END = /[。;!?\n,]/;

export interface Range {
  start: number;
  end: number;
}

function around(text: string, at: number, boundary: RegExp): Range {
  let start = at;
  while (start > 0 && !boundary.test(text[start - 1] ?? '')) start--;
  let end = at;
  while (end < text.length && !boundary.test(text[end] ?? '')) end++;
  return { start, end };
}

/** The sentence (up to 。；!? or a line break) around an offset. */
export function sentenceAt(text: string, at: number): Range {
  return around(text, at, SENTENCE_END);
}

/** The phrase (up to a comma or a sentence end) around an offset. */
export function phraseAt(text: string, at: number): Range {
  return around(text, at, PHRASE_END);
}

/** Chinese or Arabic number, for use inside regular expressions. */
export const NUM = '(?:\\d+(?:\\.\\d+)?|[一二两三四五六七八九十百]+)';

/** An item marker left at the start of a phrase: `三是`, `（二）`, `3.`. */
const ENUMERATION =
  /^(?:第[一二三四五六七八九十百\d]+[条章节]\s*|[一二三四五六七八九十]+是|\([一二三四五六七八九十\d]+\)|[一二三四五六七八九十]+、|\d+[.、])/;

const EDGE_LEAD = /^[\s、,:;()]+/;
const EDGE_TRAIL = /[\s、,:;(]+$/;

/**
 * The words of a clause between two offsets, trimmed of item markers, function words and punctuation at
 * either end. Patterns are matched on the match form (Simplified, `，：（` folded), and the result is cut
 * from the quote, so a Traditional notice is trimmed like a Simplified one and keeps its own wording.
 */
export function tidySpan(c: { quote: string; norm: string }, from: number, to: number, lead: RegExp, trail: RegExp): string {
  let start = from;
  let end = to;
  for (let i = 0; i < 6 && start < end; i++) {
    const text = c.norm.slice(start, end);
    const cutLead =
      (ENUMERATION.exec(text)?.[0].length ?? 0) || (lead.exec(text)?.[0].length ?? 0) || (EDGE_LEAD.exec(text)?.[0].length ?? 0);
    const cutTrail = (trail.exec(text)?.[0].length ?? 0) || (EDGE_TRAIL.exec(text)?.[0].length ?? 0);
    if (cutLead === 0 && cutTrail === 0) break;
    start += cutLead;
    end -= Math.min(cutTrail, end - start);
  }
  return c.quote.slice(start, end);
}
