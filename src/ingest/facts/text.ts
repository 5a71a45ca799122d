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
  /^(?:第[一二三四五六七八九十百\d]+[条章节]\s*|[一二三四五六七八九十]+是|[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.．、])/;

/** Trim function words and punctuation off both ends of a phrase taken from around a value. */
export function tidyPhrase(text: string, lead: RegExp, trail: RegExp): string {
  let out = text.trim();
  for (let i = 0; i < 4; i++) {
    const before = out;
    out = out
      .replace(ENUMERATION, '')
      .replace(lead, '')
      .replace(trail, '')
      .replace(/^[\s、,，:：;；()（）]+|[\s、,，:：;；(（]+$/g, '')
      .trim();
    if (out === before) break;
  }
  return out;
}
