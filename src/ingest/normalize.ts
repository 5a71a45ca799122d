import { toSimplified } from './script.js';

/** A repair of a damaged sequence, listed in a notice's sidecar. */
export interface Correction {
  from: string;
  to: string;
}

export interface AppliedCorrection extends Correction {
  count: number;
}

export interface CleanResult {
  /** The notice as published, minus pinyin annotations and layout debris: what quotes are taken from. */
  text: string;
  corrections: AppliedCorrection[];
  /** What was removed, by kind, for the build report. */
  removed: { pinyin: number; debris: number; markup: number };
}

const CJK = '\\u3400-\\u9fff\\uf900-\\ufaff';
const TONE = 'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü';
/** A pinyin syllable without tone marks (for neutral-tone annotations such as `的(de)`). */
const TONELESS_SYLLABLE =
  /^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)(?:a|o|e|i|u|v|ai|ei|ao|ou|an|en|ang|eng|ong|er|ia|ie|iao|iu|ian|in|iang|ing|iong|ua|uo|uai|ui|uan|un|uang|ue)$/;
const PINYIN = new RegExp(`(?<=[${CJK}])[(（]([a-z${TONE}]{1,7})[)）]`, 'g');
/** Runs of `? ? ?` left where a layout's spacing was lost in conversion. */
const DEBRIS = /(?:\?[ \t\u00a0\u3000]*){3,}/g;
/** Word-processor markup that leaked into the text: `[bookmark: _GoBack]`. */
const MARKUP = /\[(?:bookmark|comment|footnote):[^\]\n]*\]/gi;

/** Remove pinyin annotations such as `醫(yī)療` → `醫療`; a bracketed Latin word that is not pinyin stays. */
export function stripPinyin(text: string): { text: string; count: number } {
  let count = 0;
  const out = text.replace(PINYIN, (whole, syllable: string) => {
    if (/[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]/.test(syllable) || TONELESS_SYLLABLE.test(syllable)) {
      count++;
      return '';
    }
    return whole;
  });
  return { text: out, count };
}

/** Apply the corrections that have not matched yet (each repairs the text once, on raw or cleaned text). */
function applyCorrections(text: string, pending: AppliedCorrection[]): string {
  let out = text;
  for (const c of pending) {
    if (c.count > 0 || c.from === '' || !out.includes(c.from)) continue;
    const parts = out.split(c.from);
    c.count += parts.length - 1;
    out = parts.join(c.to);
  }
  return out;
}

/**
 * Tidy layout without touching wording: runs of two or more ideographic spaces inside a line start a
 * new paragraph (single-line notices indent paragraphs that way), tabs stay as cell separators, other
 * runs of white space become one space, and lines are trimmed; blank lines go.
 */
export function tidyWhitespace(text: string): string {
  const lines: string[] = [];
  for (const rawLine of text.split('\n')) {
    for (const part of rawLine.split(/(?<=\S)\u3000{2,}(?=\S)/)) {
      const line = part
        .replace(/[ \u00a0\u3000]*\t[ \u00a0\u3000]*/g, '\t')
        .replace(/[ \u00a0\u3000\u2002\u2003\u200b\ufeff]+/g, ' ')
        .trim();
      if (line !== '') lines.push(line);
    }
  }
  return lines.join('\n');
}

/**
 * Raw notice text → the clean original. Sidecar corrections are tried on the raw text first (what an
 * editor copies from the file), then on the text with pinyin removed (what the build report shows).
 */
export function cleanNotice(raw: string, corrections: readonly Correction[] = []): CleanResult {
  const applied: AppliedCorrection[] = corrections.map((c) => ({ ...c, count: 0 }));
  let text = raw.replace(/\r\n?/g, '\n');
  text = applyCorrections(text, applied);
  const pinyin = stripPinyin(text);
  text = applyCorrections(pinyin.text, applied);
  let debris = 0;
  text = text.replace(DEBRIS, () => {
    debris++;
    return ' ';
  });
  let markup = 0;
  text = text.replace(MARKUP, () => {
    markup++;
    return '';
  });
  text = tidyWhitespace(text);
  return { text, corrections: applied, removed: { pinyin: pinyin.count, debris, markup } };
}

const WIDE = /[\uff01-\uff5e\u3000]/;
const WIDE_ALL = /[\uff01-\uff5e\u3000]/g;

const WIDE_DIGIT = /[\uff10-\uff19]/;
const WIDE_DIGITS = /[\uff10-\uff19]/g;

/**
 * Full-width digits as ASCII digits, the rest as it is: what `foldWidth` does to digits, for a search for digits
 * in texts full of full-width punctuation (which `foldWidth` would copy them all to fold).
 */
export function foldDigits(s: string): string {
  return WIDE_DIGIT.test(s) ? s.replace(WIDE_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)) : s;
}

/** Full-width ASCII variants and the ideographic space folded to ASCII; same length as the input. */
export function foldWidth(text: string): string {
  if (!WIDE.test(text)) return text;
  return text.replace(WIDE_ALL, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

/**
 * The form used for matching: Simplified, width-folded, lower case. Always the same length as the
 * input, so a span found in it is the same span in the original.
 */
export function matchForm(text: string): string {
  const out = foldWidth(toSimplified(text)).toLowerCase();
  return out.length === text.length ? out : foldWidth(toSimplified(text));
}
