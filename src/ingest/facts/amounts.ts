import { parseNumber } from '../numerals.js';
import { phraseAt, sentenceAt, tidySpan } from './text.js';
import type { CapFact, ClauseText, Draft, MoneyFact, RatioFact } from './types.js';

const PERCENT = /(\d+(?:\.\d+)?)\s*%|百分之([一二三四五六七八九十百]+)/g;
const MEASURE = /(救助|报销|支付|补助|补贴|负担|自付|上浮|下调|提高|降低|调减|增加)/;
const SUBJECT_LEAD = /^(?:其中|对于|对|给予|确保|将|按照|按|从)+/;
const SUBJECT_TRAIL = /(?:给予|救助|报销|支付|补助|补贴|比例|上浮|下调|提高|降低|调减|增加|为|按|达到|的|至|到)+$/;

/** Ratios with who or what they apply to: `对特困人员…给予100%救助`, `救助比例上浮10%`, `报销90%`. */
export function extractRatios(c: ClauseText): Draft<RatioFact>[] {
  const out: Draft<RatioFact>[] = [];
  for (const m of c.norm.matchAll(PERCENT)) {
    const percent = m[1] ? Number(m[1]) : parseNumber(m[2] ?? '');
    if (percent === null) continue;
    const start = m.index;
    const end = start + m[0].length;
    const phrase = phraseAt(c.norm, start);
    const beforeNorm = c.norm.slice(phrase.start, start);
    const subject = tidySpan(c, phrase.start, start, SUBJECT_LEAD, SUBJECT_TRAIL) || null;
    const measure = MEASURE.exec(beforeNorm.slice(-6))?.[1] ?? MEASURE.exec(c.norm.slice(end, end + 4))?.[1] ?? null;
    const relation = /(?:上浮|提高|增加)$/.test(beforeNorm) ? 'increase' : /(?:下调|降低|调减)$/.test(beforeNorm) ? 'decrease' : 'is';
    out.push({ type: 'ratio', start, end, percent, subject, measure, relation });
  }
  return out;
}

const YUAN: Record<string, number> = { 元: 1, 万元: 10_000, 万: 10_000, 亿元: 100_000_000, 亿: 100_000_000 };

/** `2.01` × 万 → 20100 yuan, to the fen, without floating-point residue. */
function toYuan(amount: string, unit: string): number {
  return Math.round(Number(amount) * (YUAN[unit] ?? 1) * 100) / 100;
}
const CAP =
  /(?:年度|年|最高|累计)*(?:限额|封顶线|最高支付限额)(?:为|是)?\s*(\d+(?:\.\d+)?)\s*(亿元|万元|元|万|亿)|不设(?:年度|最高)*(?:限额|封顶线)|上不封顶/g;

/** Caps, tied to the ratio before them in the sentence: `救助70%，年度限额为3万元`, `100%救助，不设年度限额`. */
export function extractCaps(c: ClauseText, ratios: readonly Draft<RatioFact>[]): Draft<CapFact>[] {
  const out: Draft<CapFact>[] = [];
  for (const m of c.norm.matchAll(CAP)) {
    const start = m.index;
    const end = start + m[0].length;
    const amount = m[1] ? toYuan(m[1], m[2] ?? '元') : null;
    const sentence = sentenceAt(c.norm, start);
    const ratio = ratios.filter((r) => r.start >= sentence.start && r.end <= start).at(-1);
    out.push({ type: 'cap', start, end, amount, subject: ratio?.subject ?? null });
  }
  return out;
}

const MONEY = /(?<![\d.])(\d+(?:\.\d+)?)\s*(亿元|万元|元|亿|万)(?![人次件户家个项条名余多])/g;
const MONEY_CONTEXT = /金|资金|款|费|额|元|预算|拨付|支付/;

/** Amounts of money in yuan: `4000万元`, a headline's `4000万`, `3万元`. */
export function extractMoney(c: ClauseText): Draft<MoneyFact>[] {
  const out: Draft<MoneyFact>[] = [];
  for (const m of c.norm.matchAll(MONEY)) {
    const unit = m[2] ?? '元';
    if (!unit.endsWith('元') && !MONEY_CONTEXT.test(c.norm.slice(Math.max(0, m.index - 8), m.index))) continue;
    out.push({ type: 'money', start: m.index, end: m.index + m[0].length, amount: toYuan(m[1] ?? '0', unit) });
  }
  return out;
}
