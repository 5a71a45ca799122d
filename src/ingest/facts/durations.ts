import { parseNumber } from '../numerals.js';
import { NUM, phraseAt, sentenceAt } from './text.js';
import type { ClauseText, Draft, DurationFact, DurationRelation, DurationUnit, PrescriptionFact } from './types.js';

const DURATION = new RegExp(
  `(?<![\\d.])(${NUM})\\s*(个月|个工作日|个自然日|个小时|个星期|个周|工作日|自然日|小时|星期|周(?!岁)|天|日(?=内|以内|之内)|年(?=内|以内|之内))`,
  'g',
);

const UNIT: Record<string, DurationUnit> = {
  个月: 'month',
  个工作日: 'workday',
  工作日: 'workday',
  个自然日: 'day',
  自然日: 'day',
  天: 'day',
  日: 'day',
  个小时: 'hour',
  小时: 'hour',
  个星期: 'week',
  星期: 'week',
  个周: 'week',
  周: 'week',
  年: 'year',
};

/** The word before a duration says what it does to a time limit. */
const RELATION_BEFORE: [RegExp, DurationRelation][] = [
  [/(?:最长|最多|不超过|不得超过|不超出)(?:不超过)?(?:为)?$/, 'max'],
  [/(?:放宽|放寬|增加|提高)(?:至|到)?$/, 'relax'],
  [/(?:推迟|推遲|延后|延期|暂缓)(?:办理)?$/, 'defer'],
  [/(?:延长|延長|顺延|延至)(?:至|到)?$/, 'extend'],
  [/超过$/, 'over'],
];

function relationOf(norm: string, start: number, end: number): DurationRelation {
  const before = norm.slice(Math.max(0, start - 8), start).replace(/\s+/g, '');
  for (const [re, relation] of RELATION_BEFORE) if (re.test(before)) return relation;
  if (/^(?:量)?(?:内|以内|之内)/.test(norm.slice(end))) return 'within';
  return 'plain';
}

/** Durations with their number and unit: 推迟2个月, 放宽至三个月, 7个工作日内, 最长不超过3个月. */
export function extractDurations(c: ClauseText): Draft<DurationFact>[] {
  const out: Draft<DurationFact>[] = [];
  for (const m of c.norm.matchAll(DURATION)) {
    const value = parseNumber(m[1] ?? '');
    const unit = UNIT[m[2] ?? ''];
    if (value === null || !unit) continue;
    // `2022年内` is a year and `3月15日内` a day of the month, not lengths of time.
    if (m[2] === '年' && value >= 100) continue;
    if (m[2] === '日' && /月\s*$/.test(c.norm.slice(Math.max(0, m.index - 2), m.index))) continue;
    const start = m.index;
    const end = start + m[0].length;
    out.push({ type: 'duration', start, end, value, unit, relation: relationOf(c.norm, start, end) });
  }
  return out;
}

const PRESCRIBING = /处方|开药|用药量|购药量|配药|带药/;
const GROUP_PATTERNS = [
  /对(?:于)?([^,;。]{2,60}?)(?:两类|三类|等)?(?:的)?(?:参保)?(?:患者|人员)/g,
  /为([^,;。]{2,60}?)(?:的)?(?:参保)?患者/g,
];

/**
 * Prescription quantities per patient group: a duration that a sentence about prescribing relaxes or
 * caps, with the group it applies to — the phrase's own subject when it starts with 其他/其余, else the
 * `对…患者` / `为…患者` the sentence names before it.
 */
export function extractPrescriptions(c: ClauseText, durations: readonly Draft<DurationFact>[]): Draft<PrescriptionFact>[] {
  const out: Draft<PrescriptionFact>[] = [];
  for (const d of durations) {
    if (d.unit === 'hour' || d.unit === 'workday') continue;
    const sentence = sentenceAt(c.norm, d.start);
    const phrase = phraseAt(c.norm, d.start);
    const phraseText = c.norm.slice(phrase.start, d.start);
    if (!PRESCRIBING.test(c.norm.slice(sentence.start, sentence.end))) continue;
    if (!PRESCRIBING.test(phraseText + c.norm.slice(d.end, d.end + 6)) && d.relation === 'plain') continue;
    let group: string | null = null;
    const own = /^(?:其他|其余|其它).+?(?=处方|用药|购药|开药|配药)/.exec(phraseText);
    if (own) group = c.quote.slice(phrase.start, phrase.start + own[0].length);
    else {
      const before = c.norm.slice(sentence.start, d.start);
      for (const re of GROUP_PATTERNS) {
        const hits = [...before.matchAll(re)];
        const last = hits.at(-1);
        if (last?.[1]) {
          const at = sentence.start + last.index + last[0].indexOf(last[1]);
          group = c.quote.slice(at, at + last[1].length);
          break;
        }
      }
    }
    out.push({
      type: 'prescription',
      start: d.start,
      end: d.end,
      group,
      quantity: c.quote.slice(d.start, d.end),
      value: d.value,
      unit: d.unit,
      relation: d.relation,
    });
  }
  return out;
}
