import { matchForm } from '../normalize.js';
import { phraseAt, sentenceAt, tidySpan } from './text.js';
import type { ClauseText, Draft, PhoneFact } from './types.js';

/** Landlines with area code, 400/800 numbers, mobiles, and bare local numbers or service numbers. */
const PHONE =
  /(?<![\d.-])(?:((?:0\d{2,3}-?|\(0\d{2,3}\)\s*)\d{7,8})|([48]00-?\d{3}-?\d{4})|(1[3-9]\d{9})|(\d{7,8})|(12\d{3}|9\d{4}))(?![\d.%])/g;
/** A bare number is a phone number only when the words around it say so. */
const PHONE_CONTEXT = /电话|热线|咨询|拨打|致电|联系|传真|服务号|tel|手机/;
const LEAD = /^(?:设立|开通|公布|设置|可拨打|可以拨打|请拨打|拨打|致电|通过|或|和|及|并|可)+/;
const PUNCT_TRAIL = /(?:为|是|[:(\s])+$/;
/** Punctuation, and other numbers listed before this one (`电话:13888982998、`), at the end of a label. */
const NUMBERS_TRAIL = /(?:为|是|[:(\s、,或和及]|(?:0\d{2,3}-?)?\d{5,11})+$/;
/** Words that only say "a phone number"; what stands before them is the purpose. */
const PHONE_WORD = /(?:电话号码|联系电话|电话|电 话|号码|手机)$/;
const GENERIC = /^(?:联系|咨询|服务|办公|值班|联络|业务)?$/;
/** A phrase that tells the caller to call rather than naming the line: `…1个月内拨打`. */
const ACTION = /拨打|致电|打$/;

/**
 * Phone numbers with the office or purpose they serve: the label before the number in its phrase
 * (`企、事业单位业务咨询电话:0472-6970828`, `24小时医保热线(83709222)`); for a bare `电话:` the
 * contact line before it; in a table row, the row's other cells; where the phrase only says to call,
 * the condition and action around it with the clause's heading.
 */
export function extractPhones(c: ClauseText): Draft<PhoneFact>[] {
  const out: Draft<PhoneFact>[] = [];
  for (const m of c.norm.matchAll(PHONE)) {
    const start = m.index;
    const end = start + m[0].length;
    const before = c.norm.slice(Math.max(0, start - 14), start);
    const bare = m[4] !== undefined || m[5] !== undefined;
    if (bare && !PHONE_CONTEXT.test(before + c.norm.slice(end, end + 4)) && !/\t/.test(lineOf(c.norm, start))) continue;
    if (bare && /^\s*(?:人|次|元|万|亿|件|户|个|名|项|余|多|笔|份|家)/.test(c.norm.slice(end))) continue;
    const number = m[0];
    const purpose = purposeOf(c, start, end);
    const kind: PhoneFact['kind'] = m[3]
      ? 'mobile'
      : m[5]
        ? 'service'
        : /热线/.test(purpose ?? '') || /热线/.test(before)
          ? 'hotline'
          : 'landline';
    out.push({ type: 'phone', start, end, number, kind, purpose });
  }
  return out;
}

function lineOf(text: string, at: number): string {
  const from = text.lastIndexOf('\n', at - 1) + 1;
  const to = text.indexOf('\n', at);
  return text.slice(from, to < 0 ? text.length : to);
}

function purposeOf(c: ClauseText, start: number, end: number): string | null {
  const lineStart = c.norm.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = c.norm.indexOf('\n', end) < 0 ? c.norm.length : c.norm.indexOf('\n', end);
  const line = c.norm.slice(lineStart, lineEnd);
  if (line.includes('\t')) {
    const cells = c.quote
      .slice(lineStart, lineEnd)
      .split('\t')
      .map((s) => s.trim())
      .filter((s) => s !== '' && !/^[\d\s()（）、,，-]+$/.test(s));
    if (cells.length > 0) return cells.join(' ');
  }

  const phrase = phraseAt(c.norm, start);
  const label = tidySpan(c, phrase.start, start, LEAD, NUMBERS_TRAIL);
  const labelNorm = matchForm(label);
  const core = label.slice(0, label.length - (PHONE_WORD.exec(labelNorm)?.[0].length ?? 0)).trim();
  const coreNorm = labelNorm.replace(PHONE_WORD, '').trim();
  const action = ACTION.test(c.norm.slice(phrase.start, start));
  if (!action && !GENERIC.test(coreNorm)) return core;

  if (!action) {
    const prevLineEnd = lineStart - 1;
    if (prevLineEnd > 0) {
      const prev = c.quote.slice(c.quote.lastIndexOf('\n', prevLineEnd - 1) + 1, prevLineEnd).trim();
      if (prev.length > 0 && prev.length <= 40 && !/[。;；]$/.test(prev)) return prev;
    }
    const sentence = sentenceAt(c.norm, start);
    if (phrase.start > sentence.start) {
      const prevPhrase = phraseAt(c.norm, phrase.start - 2);
      const text = tidySpan(c, prevPhrase.start, prevPhrase.end, LEAD, PUNCT_TRAIL);
      if (text.length >= 2 && text.length <= 40) return `${text}${core}`;
    }
    if (c.heading && !GENERIC.test(c.heading.replace(PHONE_WORD, ''))) return c.heading;
    return label || null;
  }

  const sentence = sentenceAt(c.norm, start);
  const parts: string[] = [];
  const condition = /(?:^|,)(?:在)?([^,]{2,30}?)的,[^,]*$/.exec(c.norm.slice(sentence.start, phrase.start + 1));
  const after = /^(?:电话|热线)?(备案|咨询|预约|办理|申报|登记|报备|查询|投诉)/.exec(c.norm.slice(end));
  if (c.heading) parts.push(c.heading);
  if (condition?.[1]) {
    const at = sentence.start + condition.index + condition[0].indexOf(condition[1]);
    parts.push(c.quote.slice(at, at + condition[1].length));
  }
  if (parts.length === 0 && after?.[1]) parts.push(after[1]);
  if (parts.length === 0) return label || null;
  return parts.length === 1 ? (parts[0] as string) : `${parts[0]}（${parts.slice(1).join('，')}）`;
}
