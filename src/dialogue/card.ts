import type { DurationFact, Fact, FactType, PhoneFact, PrescriptionFact } from '../ingest/facts/index.js';
import type { NoticeMeta } from '../ingest/meta.js';
import type { Notice } from '../ingest/notice.js';
import { toSimplified } from '../ingest/script.js';
import type { Clause } from '../ingest/structure.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';
import { sentenceAround } from './compose.js';

/** The kinds of fact on a region's quick-reference card, in its order. */
export const CARD_TYPES = ['phone', 'deadline', 'prescription', 'duration', 'ratio', 'cap', 'money', 'code', 'url'] as const;
export type CardType = (typeof CARD_TYPES)[number];

/** One line of the card: a fact as the notice states it, with its sentence and where it stands. */
export interface CardEntry {
  type: CardType;
  /** The fact as the notice writes it. */
  text: string;
  /** For a phone: the office or purpose; for a prescription: the patients it is for. */
  label: string | null;
  /** For a phone: when it is answered (`工作日8:30-17:00`, `24小时`), as its sentence says; else null. */
  hours: string | null;
  /** The sentence that states it. */
  sentence: string;
  notice: string;
  clause: string;
  url: string;
  /** The notice's short name, for links: its title without issuer, 关于 and 的通知, cut short (Simplified). */
  source: string;
  /** The notice's full title (Simplified), or null. */
  title: string | null;
  date: string | null;
}

/** A notice the card draws on. */
export interface CardSource {
  notice: string;
  source: string;
  title: string | null;
  date: string | null;
  url: string;
}

export interface Card {
  region: string;
  notices: string[];
  sources: CardSource[];
  entries: CardEntry[];
}

/**
 * What goes on the card: what a hotline agent reads out to a caller. One rule per kind of fact, never a
 * list of values or places: contacts (a phone with its office, a web address), deadlines, caps and codes
 * always; a prescription quantity when it is granted, not a threshold for review (`开药量超过3个月的…把关`);
 * a duration only when it sets or changes a time limit (`推迟2个月`, `5个工作日内`, `有效期不少于180天`),
 * not a bare one (`24小时电话申报`); a ratio or a sum only when its phrase names a benefit, a payment or a
 * per-person rate (`报销90%`, `每人每年360元`), not a statistic or a fund moved between institutions
 * (`激活率约72%`, `拨付周转金4000万元`).
 */
const RULES: { readonly [T in CardType]: (f: Extract<Fact, { type: T }>, c: Clause) => boolean } = {
  phone: () => true,
  url: () => true,
  code: () => true,
  deadline: () => true,
  cap: () => true,
  prescription: (f: PrescriptionFact) => f.relation !== 'over',
  duration: (f: DurationFact, c) => (f.relation !== 'plain' && f.relation !== 'over') || PERIOD.test(segment(c.norm, f.start, f.end)),
  ratio: (f, c) => namesBenefit(c.norm, f.start, f.end),
  money: (f, c) => namesBenefit(c.norm, f.start, f.end),
};

/**
 * A stretch of text stated twice is shown once, as its most specific kind: a prescription quantity or a
 * deadline, not also as a duration; a cap, not also as a sum. Kinds earlier here win.
 */
const PRECEDENCE: readonly CardType[] = ['phone', 'url', 'code', 'deadline', 'prescription', 'cap', 'ratio', 'duration', 'money'];

/** Words that make a duration a time limit: 期限, 时限, 有效期, 等待期 … */
const PERIOD = /期限|时限|有效期|等待期|缓缴期|申报期|期满|期内/;
/** Words that tie a ratio or a sum to what a person pays or gets. */
const BENEFIT = /起付|封顶|限额|标准|补助|资助|救助|补贴|报销|支付|缴费|缴纳|自付|负担|待遇|津贴|每人|人次|人均/;
/** Shorter than this before the value (`为6000元`, `特困人员85%`), its phrase leans on the one before it. */
const SHORT_LEAD = 6;
/** Phrase boundaries in match form (`，；：` folded to `,;:`). */
const BOUNDARY = /[,;:。!?\n]/;

/** Offsets of the stretch around a span up to the nearest boundaries. */
function around(text: string, start: number, end: number, boundary: RegExp): { a: number; b: number } {
  let a = start;
  while (a > 0 && !boundary.test(text[a - 1] ?? '')) a--;
  let b = end;
  while (b < text.length && !boundary.test(text[b] ?? '')) b++;
  return { a, b };
}

/** The phrase around a span of a clause's match form. */
function segment(norm: string, start: number, end: number): string {
  const { a, b } = around(norm, start, end, BOUNDARY);
  return norm.slice(a, b);
}

/** Whether the phrase of a value (with the phrase before it, when its own lead is short) names a benefit. */
function namesBenefit(norm: string, start: number, end: number): boolean {
  const { a, b } = around(norm, start, end, BOUNDARY);
  const before = start - a < SHORT_LEAD && a > 0 ? norm.slice(around(norm, a - 1, a - 1, BOUNDARY).a, a - 1) : '';
  return BENEFIT.test(before + norm.slice(a, b));
}

/** When a phone is answered: a time range with its days, or round the clock (not `24小时内`, a limit). */
const HOURS =
  /(?:(?:工作日|节假日|每天|每日|周[一二三四五六日天](?:至|到|-)周?[一二三四五六日天])\s*)?(?:上午|下午)?\d{1,2}:\d{2}\s*(?:-|—|–|~|至|到)+\s*(?:下午)?\d{1,2}:\d{2}|24\s*小时(?![内以之])|全天候?/g;
const SENTENCE = /[。;!?\n]/;

/** The hours in a phone's sentence nearest to its number, as written. */
function hoursOf(c: Clause, f: PhoneFact): string | null {
  const { a, b } = around(c.norm, f.start, f.end, SENTENCE);
  let best: { distance: number; text: string } | null = null;
  for (const m of c.norm.slice(a, b).matchAll(HOURS)) {
    const at = a + m.index;
    const distance = at < f.start ? f.start - at : at - f.end;
    if (!best || distance < best.distance) best = { distance, text: c.quote.slice(at, at + m[0].length).trim() };
  }
  return best?.text ?? null;
}

const ISSUER_TO = /^.{0,40}?关于(?:印发|转发)?/;
const HEADLINE_PLACE = /^[^:：]{1,8}[:：]/;
const KIND_SUFFIX = /的?(?:紧急|补充)?(?:通知|通告|公告|意见|办法|方案|决定|函)$/;
/** Link texts longer than this are cut, with …; the full title goes in the link's title. */
const SHORT_TITLE_MAX = 20;

/**
 * A notice's short name, for a link: the title without the issuer before 关于, a headline's `城市：`
 * and the kind of document at its end, cut to SHORT_TITLE_MAX characters; with no title, the issuing body
 * (or region) and the date.
 */
export function shortTitle(meta: NoticeMeta): string {
  const title = meta.title ? toSimplified(meta.title).trim() : '';
  if (!title) return [meta.authority ? toSimplified(meta.authority) : (meta.region ?? '通知'), meta.date].filter(Boolean).join(' ');
  const core = title.replace(ISSUER_TO, '').replace(HEADLINE_PLACE, '').replace(KIND_SUFFIX, '').trim() || title;
  return core.length > SHORT_TITLE_MAX ? `${core.slice(0, SHORT_TITLE_MAX - 1)}…` : core;
}

function sourceOf(n: Notice): CardSource {
  return {
    notice: n.id,
    source: shortTitle(n.meta),
    title: n.meta.title ? toSimplified(n.meta.title) : null,
    date: n.meta.date,
    url: `/notices/${encodeURIComponent(n.id)}`,
  };
}

function labelOf(f: Fact): string | null {
  return f.type === 'phone' ? f.purpose : f.type === 'prescription' ? f.group : null;
}

const cards = new WeakMap<KnowledgeBase, Map<string, Card>>();

/** A region's quick-reference card (worked out once per knowledge base and region). */
export function regionCard(kb: KnowledgeBase, region: string): Card {
  let known = cards.get(kb);
  if (!known) {
    known = new Map();
    cards.set(kb, known);
  }
  const name = kb.regions.canonical(region) ?? region;
  let card = known.get(name);
  if (!card) {
    card = buildCard(kb, name);
    known.set(name, card);
  }
  return card;
}

function buildCard(kb: KnowledgeBase, region: string): Card {
  const notices = kb.noticesOf(region);
  const sources = notices.map(sourceOf);
  const kept: { fact: Fact; entry: CardEntry }[] = [];
  for (const type of PRECEDENCE) {
    const seen = new Set<string>();
    for (const n of notices) {
      const source = sources[notices.indexOf(n)] as CardSource;
      for (const f of n.facts) {
        if (f.type !== type) continue;
        const clause = kb.clause(f.clause);
        const cite = kb.citation(f.clause);
        if (!clause || !cite || !(RULES[type] as (f: Fact, c: Clause) => boolean)(f, clause)) continue;
        if (kept.some((k) => k.fact.clause === f.clause && k.fact.start <= f.start && f.end <= k.fact.end)) continue;
        const label = labelOf(f);
        const key = `${f.text}\u0000${label ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        kept.push({
          fact: f,
          entry: {
            type,
            text: f.text,
            label,
            hours: f.type === 'phone' ? hoursOf(clause, f) : null,
            sentence: sentenceAround(clause.quote, f.start, f.end),
            notice: cite.notice,
            clause: cite.clause,
            url: cite.url,
            source: source.source,
            title: source.title,
            date: source.date,
          },
        });
      }
    }
  }
  const order = (t: FactType) => (CARD_TYPES as readonly FactType[]).indexOf(t);
  // In the card's order of kinds; within a kind, in the notices' order and the text's.
  const entries = kept.map((k, i) => ({ ...k, i })).sort((a, b) => order(a.entry.type) - order(b.entry.type) || a.i - b.i);
  return { region, notices: notices.map((n) => n.id), sources, entries: entries.map((k) => k.entry) };
}
