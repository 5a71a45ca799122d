/** Units a duration can have, normalized. */
export type DurationUnit = 'month' | 'day' | 'workday' | 'week' | 'year' | 'hour';
/** How a duration relates to what it qualifies: 推迟 / 延长 / 放宽至 / 最长不超过 / 超过 / …内. */
export type DurationRelation = 'defer' | 'extend' | 'relax' | 'max' | 'over' | 'within' | 'plain';

interface FactBase {
  /** The clause id the fact was found in. */
  clause: string;
  /** Offsets of the surface text within the clause's quote. */
  start: number;
  end: number;
  /** The exact surface text in the notice, as published. */
  text: string;
}

export interface DurationFact extends FactBase {
  type: 'duration';
  value: number;
  unit: DurationUnit;
  relation: DurationRelation;
}

export interface DateFact extends FactBase {
  type: 'date';
  /** ISO date, as complete as the text allows; for `3月底`, the month's last day. */
  iso: string | null;
  /** True when the year was not written and was taken from the notice's date. */
  yearInferred: boolean;
}

export interface DeadlineFact extends FactBase {
  type: 'deadline';
  /** A normalized date when the deadline is a date; null for a relative one. */
  iso: string | null;
  /** A relative deadline as written (`疫情结束后三个月内`); null for a date. */
  relative: string | null;
  /** What must happen by then, as the text says it. */
  subject: string | null;
}

export interface PhoneFact extends FactBase {
  type: 'phone';
  number: string;
  kind: 'landline' | 'mobile' | 'hotline' | 'service';
  /** The office or purpose the number serves, from the text around it. */
  purpose: string | null;
}

export interface PrescriptionFact extends FactBase {
  type: 'prescription';
  /** The patients or disease group the quantity applies to; null when the text names none. */
  group: string | null;
  quantity: string;
  value: number;
  unit: DurationUnit;
  relation: DurationRelation;
}

export interface RatioFact extends FactBase {
  type: 'ratio';
  percent: number;
  subject: string | null;
  /** The measure the ratio is of (救助, 报销, 支付 …), when named next to it. */
  measure: string | null;
  relation: 'is' | 'increase' | 'decrease';
}

export interface CapFact extends FactBase {
  type: 'cap';
  /** The cap in yuan; null when the text sets none (`不设年度限额`). */
  amount: number | null;
  subject: string | null;
}

export interface MoneyFact extends FactBase {
  type: 'money';
  /** Amount in yuan. */
  amount: number;
}

export interface CodeFact extends FactBase {
  type: 'code';
  code: string;
  label: string | null;
}

export interface UrlFact extends FactBase {
  type: 'url';
  url: string;
}

export interface ChannelFact extends FactBase {
  type: 'channel';
  name: string;
  form: 'app' | 'mini-program' | 'official-account' | 'website' | 'platform' | 'other';
}

export type Fact =
  | DurationFact
  | DateFact
  | DeadlineFact
  | PhoneFact
  | PrescriptionFact
  | RatioFact
  | CapFact
  | MoneyFact
  | CodeFact
  | UrlFact
  | ChannelFact;

export type FactType = Fact['type'];

export const FACT_TYPES: readonly FactType[] = [
  'duration',
  'date',
  'deadline',
  'phone',
  'prescription',
  'ratio',
  'cap',
  'money',
  'code',
  'url',
  'channel',
];

/** What an extractor sees: one clause, its quote and its match form (same length), and the notice's year. */
export interface ClauseText {
  id: string;
  quote: string;
  norm: string;
  heading: string | null;
  noticeYear: number | null;
}

/** A fact before it is tied to its clause's surface text. */
export type Draft<F extends Fact> = Omit<F, 'clause' | 'text'>;
