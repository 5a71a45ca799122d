import { parseNumber } from '../numerals.js';
import { NUM, phraseAt, tidySpan } from './text.js';
import type { ClauseText, DateFact, DeadlineFact, Draft } from './types.js';

const DATE = new RegExp(
  [
    '((?:19|20)\\d{2})\\s*年\\s*(\\d{1,2})\\s*月\\s*(?:(\\d{1,2})\\s*日|(底|末|初|上旬|中旬|下旬))?',
    '((?:19|20)\\d{2})\\s*年度',
    '(?<![\\d年.-])(\\d{1,2})\\s*月\\s*(?:(\\d{1,2})\\s*日|(底|末))',
    '((?:19|20)\\d{2})-(\\d{2})-(\\d{2})',
  ].join('|'),
  'g',
);

const pad = (n: number) => String(n).padStart(2, '0');

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isoOf(year: number, month: number | null, day: number | string | null): string {
  if (month === null) return String(year);
  if (day === null) return `${year}-${pad(month)}`;
  if (day === '底' || day === '末' || day === '下旬') return `${year}-${pad(month)}-${pad(lastDay(year, month))}`;
  if (typeof day === 'string') return `${year}-${pad(month)}`;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The verb (and modal words) that lead up to a deadline, cut off its subject: `征收期延长至` → `征收期`. */
const LEADS_TO =
  /(?:应|需|须|在|于|允许|可以|可)*(?:延长至|延长到|延至|延续至|延续到|推迟至|推迟到|顺延至|顺延到|截止到|截止至|缓缴至|到|至)?(?:应|需|须|在|于|允许|可以|可)*$/;
const NOTHING = /(?!)/;
const DEADLINE_BEFORE = /(?:延长至|延长到|延長至|延至|延续至|延续到|推迟至|推迟到|顺延至|截止到|截止至|有效期至|缓缴至|到|至)$/;
/** `2020-02-30` and `2020-13` are not dates. */
function isRealDate(iso: string): boolean {
  const [y, m, d] = iso.split('-').map(Number);
  if (m === undefined) return true;
  if (m < 1 || m > 12) return false;
  return d === undefined || (d >= 1 && d <= lastDay(y as number, m));
}

const DEADLINE_AFTER = /^(?:前|之前|以前|截止)/;

/**
 * Dates, normalized where the text allows (`2020年3月底` → 2020-03-31, `2月20日` → the notice's year), and
 * deadlines: a date a period is extended or deferred to, or that something must happen before.
 */
export function extractDates(c: ClauseText): (Draft<DateFact> | Draft<DeadlineFact>)[] {
  const out: (Draft<DateFact> | Draft<DeadlineFact>)[] = [];
  for (const m of c.norm.matchAll(DATE)) {
    let iso: string | null;
    let yearInferred = false;
    if (m[1]) iso = isoOf(Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : (m[4] ?? null));
    else if (m[5]) iso = m[5];
    else if (m[6]) {
      yearInferred = true;
      const month = Number(m[6]);
      const day = m[7] ? Number(m[7]) : (m[8] ?? null);
      if (month < 1 || month > 12) continue;
      iso = c.noticeYear === null ? null : isoOf(c.noticeYear, month, day);
    } else iso = `${m[9]}-${m[10]}-${m[11]}`;
    if (iso !== null && !isRealDate(iso)) continue;
    const start = m.index;
    const end = start + m[0].length;
    const before = c.norm.slice(Math.max(0, start - 6), start);
    const asOf = /截至$/.test(before);
    if (!asOf && (DEADLINE_BEFORE.test(before) || DEADLINE_AFTER.test(c.norm.slice(end)))) {
      const phrase = phraseAt(c.norm, start);
      const subject = subjectBefore(c, phrase.start, start, /^(?:并|且|可|将)+/);
      out.push({ type: 'deadline', start, end, iso, relative: null, subject: subject || null });
    } else out.push({ type: 'date', start, end, iso, yearInferred });
  }
  return out.concat(extractRelativeDeadlines(c));
}

/** `疫情结束后三个月内`, `自封闭管理(静态管理)结束后3个月内`, `住院7个工作日内`, `从住院当日顺延1个月内`. */
const RELATIVE = new RegExp(
  `((?:自|从|在|于)?[\\u4e00-\\u9fa5()]{0,16}?(?:结束|解除|之日|当日|届满|期满|恢复正常|住院|出院|就诊|确诊|发生|申请)(?:后|起)?)(?:的)?(?:顺延)?(${NUM})\\s*个?(月|工作日|自然日|日|天|周)(?:内|以内|之内)`,
  'g',
);

/** The words before a deadline in its phrase, minus the verb leading to it and modal words. */
function subjectBefore(c: ClauseText, from: number, to: number, lead: RegExp): string {
  const verb = LEADS_TO.exec(c.norm.slice(from, to))?.[0].length ?? 0;
  return tidySpan(c, from, to - verb, lead, NOTHING);
}

function extractRelativeDeadlines(c: ClauseText): Draft<DeadlineFact>[] {
  const out: Draft<DeadlineFact>[] = [];
  for (const m of c.norm.matchAll(RELATIVE)) {
    if (parseNumber(m[2] ?? '') === null) continue;
    const lead = /^[\u4e00-\u9fa5]*?(?=(?:自|从|疫情|封闭|住院|出院|就诊|确诊|申请))/.exec(m[0])?.[0].length ?? 0;
    const start = m.index + lead;
    const end = m.index + m[0].length;
    const phrase = phraseAt(c.norm, m.index);
    let subject = subjectBefore(c, phrase.start, start, /^(?:并|且|可|将|应|需|对|允许|可以)+/);
    if (subject.length < 2) subject = tidySpan(c, end, phrase.end, /^(?:的|之|完成)/, /(?:的企业|的人员|的)$/);
    out.push({ type: 'deadline', start, end, iso: null, relative: c.quote.slice(start, end), subject: subject || null });
  }
  return out;
}
