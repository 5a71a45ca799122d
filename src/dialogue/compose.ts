import type { Fact, PhoneFact } from '../ingest/facts/index.js';
import type { Notice } from '../ingest/notice.js';
import { toSimplified, toTraditional } from '../ingest/script.js';
import type { Clause } from '../ingest/structure.js';
import type { Citation, KnowledgeBase } from '../kb/knowledge-base.js';
import type { Hit, Passage, Retriever } from '../kb/retrieval.js';
import { fill, type MetaAsk, type Responses } from './data.js';
import { COUNT, NATIONAL } from './decide.js';
import type { Reply } from './reply.js';
import { factMatches, factsOf } from './retrieve.js';
import { choiceLabel } from './session.js';
import type { Decision, Location, Plan } from './types.js';

const CN_PATH = /^[一二三四五六七八九十百]+(?:\.[一二三四五六七八九十百]+)*$/;
const SEGMENT_END = /[，,；;。：:\n！!？?]/;

/** How a reply names a clause: 第五条, 第十二条第（四）项, 第3项, or its heading. */
export function clauseLabel(c: Clause): string | null {
  if (c.kind !== 'policy') return c.kind === 'attachment' ? '附件' : null;
  if (CN_PATH.test(c.path)) {
    const [first, ...rest] = c.path.split('.');
    return `第${first}条${rest.map((r) => `第（${r}）项`).join('')}`;
  }
  if (/^第.+[条章节]$/.test(c.path)) return c.path;
  if (c.heading) return `“${c.heading}”`;
  return null;
}

/**
 * Citations for a reader of `script`: the notice's title and authority in that script, the quote as
 * published, and beside it (`readerQuote`) the quote in the reader's script when the notice is in the other
 * one (issue 13: a Simplified question showed 包头's Traditional title).
 */
export function forReader(citations: readonly Citation[], script: 'simplified' | 'traditional'): Citation[] {
  return citations.map((c) => {
    const readerQuote = inScript(c.quote, script);
    return {
      ...c,
      title: c.title === null ? null : inScript(c.title, script),
      authority: c.authority === null ? null : inScript(c.authority, script),
      ...(readerQuote !== c.quote ? { readerQuote } : {}),
    };
  });
}

/** The reply in the user's script: a Traditional question gets a Traditional reply (replies are composed in Simplified). */
export function inScript(text: string, script: 'simplified' | 'traditional'): string {
  return script === 'traditional' ? toTraditional(text) : toSimplified(text);
}

/**
 * The 24-hour or service hotline of a region (or of the nearest region above it) from its notices, with its
 * sentence and the name to call it by: the purpose the notice gives it when that is a short name standing in
 * the quoted sentence (全市医保服务热线), else 医保热线.
 */
export function regionHotline(kb: KnowledgeBase, region: string): Hotline | null {
  let known = hotlines.get(kb);
  if (!known) {
    known = new Map();
    hotlines.set(kb, known);
  }
  let found = known.get(region);
  if (found === undefined) {
    found = findHotline(kb, region);
    known.set(region, found);
  }
  return found;
}

interface Hotline {
  fact: PhoneFact;
  citation: Citation;
  name: string;
}

/** Hotlines found, per knowledge base and region (a knowledge base never changes). */
const hotlines = new WeakMap<KnowledgeBase, Map<string, Hotline | null>>();

function findHotline(kb: KnowledgeBase, region: string): Hotline | null {
  for (const scope of kb.scopesOf(region)) {
    if (scope === NATIONAL) continue;
    const phones = kb.facts({ region: scope, type: 'phone' }) as PhoneFact[];
    const hotline = phones.find((f) => f.kind === 'hotline' || /热线|熱線/.test(f.purpose ?? ''));
    if (!hotline) continue;
    const clause = kb.clause(hotline.clause);
    if (!clause) continue;
    const citation = kb.citation(hotline.clause, sentenceAround(clause.quote, hotline.start, hotline.end));
    const purpose = hotline.purpose;
    const name = purpose && purpose.length <= 16 && citation?.quote.includes(purpose) ? toSimplified(purpose) : '医保热线';
    if (citation) return { fact: hotline, citation, name };
  }
  return null;
}

export function sentenceAround(text: string, start: number, end: number): string {
  const stops = /[。；;！!？?\n]/;
  let a = start;
  while (a > 0 && !stops.test(text[a - 1] ?? '')) a--;
  let b = end;
  while (b < text.length && !stops.test(text[b] ?? '')) b++;
  return text.slice(a, Math.min(text.length, b + 1)).trim();
}

export interface ComposeContext {
  kb: KnowledgeBase;
  retriever: Retriever;
  responses: Responses;
  /** Today (YYYY-MM-DD), for whether a measure has expired: asked for only then. */
  today: () => string;
}

type Draft = Omit<Reply, 'sessionId'>;

/** Stage 6: the reply for a decision — what is said, and the citations every figure in it comes from. */
export function compose(ctx: ComposeContext, decision: Decision, plan: Plan | null, location: Location, intentId: string): Draft {
  const r = ctx.responses;
  switch (decision.rule) {
    case 'answer':
      return answer(ctx, decision.region, decision.hit, plan, location, intentId, decision.confidence);
    case 'answer.meta':
      return metaAnswer(ctx, decision.notice, decision.fields, intentId);
    case 'clarify.city':
      return {
        type: 'clarify',
        text: decision.regions.length > 0 ? fill(r.ask_city, { regions: decision.regions.join('、') }) : r.ask_city_any,
        citations: [],
        intent: intentId,
        confidence: decision.confidence,
        suggestions: decision.regions,
      };
    case 'clarify.topic': {
      const labels = decision.choices.map((h) => choiceLabel(h.passage.clause.heading, h.passage.text));
      const cited = decision.choices.map((h) => ctx.kb.citation(h.passage.clause.id, h.passage.text)).filter((c) => c !== undefined);
      return {
        type: 'clarify',
        text: fill(r.ask_which, { choices: labels.map((l, i) => `${i + 1}. ${l}`).join('；') }),
        citations: cited,
        intent: intentId,
        confidence: decision.confidence,
        suggestions: labels,
        ...(decision.region ? { region: decision.region } : {}),
      };
    }
    case 'clarify.region_only':
      return {
        type: 'clarify',
        text: fill(r.ask_topic, { region: decision.region ?? '' }),
        citations: [],
        intent: 'region.only',
        confidence: 1,
        suggestions: [],
        ...(decision.region ? { region: decision.region } : {}),
      };
    case 'smalltalk':
      return {
        type: 'fallback',
        text: decision.intent === 'thanks' ? r.thanks : r.greeting,
        citations: [],
        intent: decision.intent,
        confidence: decision.confidence,
        suggestions: [],
      };
    case 'out_of_domain':
      return { type: 'fallback', text: r.fallback, citations: [], intent: 'none', confidence: 0, suggestions: [] };
    default: {
      const prefix =
        decision.rule === 'no_notice_for_region' && decision.region
          ? fill(r.no_notice_for_region, { region: decision.region })
          : decision.rule === 'no_notice_for_year' && decision.year
            ? fill(r.no_notice_for_year, { year: String(decision.year) })
            : '';
      return handoffReply(ctx, decision.reason, decision.region, intentId, decision.confidence, prefix);
    }
  }
}

export function handoffReply(
  ctx: ComposeContext,
  reason: keyof Responses['handoff'],
  region: string | null,
  intentId: string,
  confidence: number,
  prefix = '',
): Draft {
  const hotline = region ? regionHotline(ctx.kb, region) : null;
  const extra = hotline
    ? fill(ctx.responses.handoff_hotline, {
        region: region ?? '',
        purpose: hotline.name,
        number: hotline.fact.number,
      })
    : '';
  return {
    type: 'handoff',
    text: `${prefix}${ctx.responses.handoff[reason]}${extra}`,
    citations: hotline ? [hotline.citation] : [],
    intent: intentId,
    confidence,
    suggestions: [],
    handoff: { reason },
    ...(region ? { region } : {}),
  };
}

/**
 * An answer: the sentence that states what was asked first (from the quote, with the value), then the
 * quoted sentences, the source (issuing body, title, 文号, clause, date), and a reminder drawn from the
 * notice itself (a temporary measure; a standing rule) with the region's hotline. From a measure that has
 * ended (issue 16), the answer says so first, before the quote — published on its date, ended (on the date
 * the notice states, cited), not the rule now — and whom to call for the rule in force (the region's
 * hotline, cited); no reminder at the end then, as it would only repeat it.
 */
export function answer(
  ctx: ComposeContext,
  region: string,
  hit: Hit,
  plan: Plan | null,
  location: Location,
  intentId: string,
  conf: number,
  options: { lead?: boolean } = {},
): Draft {
  const passages = select(ctx.retriever, hit, plan, location);
  const notice = hit.passage.notice;
  const simplified = (t: string) => (notice.script === 'simplified' ? t : toSimplified(t));
  const citations: Citation[] = [];
  for (const run of contiguous(passages)) {
    const first = run[0] as Passage;
    const c = ctx.kb.citation(first.clause.id, first.clause.quote.slice(first.start, (run[run.length - 1] as Passage).end));
    if (c) citations.push(c);
  }
  const body = simplified(citations.map((c) => c.quote.replace(/\s*\n\s*/g, ' ')).join('……'));
  const lead = options.lead === false ? null : leadOf(passages, plan);
  const lines: string[] = [];
  const hotline = region === NATIONAL ? null : regionHotline(ctx.kb, region);
  const ended = endedOf(ctx, notice);
  if (ended) {
    const said = expiredLine(ctx, notice, ended, hotline ? { region, hotline } : nationalHelpline(ctx, region, location));
    lines.push(said.text);
    for (const c of said.citations) if (!citations.some((k) => sameCitation(k, c))) citations.push(c);
  }
  const scope = scopeLine(ctx, region, location);
  if (scope) lines.push(scope);
  const label = region === NATIONAL ? (notice.meta.authority ? simplified(notice.meta.authority) : '国家规定') : region;
  if (lead && simplified(lead).length < body.length * 0.8) {
    lines.push(`${label}：${simplified(lead)}`);
    lines.push(`原文：“${body}”`);
  } else lines.push(`${label}：${body}`);
  lines.push(sourceLine(ctx, notice, hit.passage.clause, body));
  if (ended) return { type: 'answer', text: lines.join('\n'), citations, intent: intentId, confidence: conf, suggestions: [], region };
  const ending = reminderOf(ctx, notice);
  let reminder = ending.text;
  if (ending.citation) citations.push(ending.citation);
  if (hotline && !body.includes(hotline.fact.number)) {
    reminder += fill(ctx.responses.reminder_hotline, {
      purpose: hotline.name,
      number: hotline.fact.number,
    });
    citations.push(hotline.citation);
  }
  lines.push(`${reminder}。`);
  return { type: 'answer', text: lines.join('\n'), citations, intent: intentId, confidence: conf, suggestions: [], region };
}

/** Passages grouped into runs that stand next to each other in one clause, so each run quotes exactly. */
function contiguous(passages: readonly Passage[]): Passage[][] {
  const sorted = [...passages].sort((a, b) => a.clause.id.localeCompare(b.clause.id) || a.start - b.start);
  const runs: Passage[][] = [];
  for (const p of sorted) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    const between = last && last.clause === p.clause ? p.clause.quote.slice(last.end, p.start) : null;
    if (run && between !== null && between.trim() === '') run.push(p);
    else runs.push([p]);
  }
  return runs;
}

/** 遵义属于贵州，以下是贵州的规定 / 以下是国家层面的规定: when the answer is not from the asker's own place. */
function scopeLine(ctx: ComposeContext, region: string, location: Location): string | null {
  const place = location.place;
  if (region === NATIONAL) {
    if (!place || place === NATIONAL) return ctx.responses.scope_national;
    const own = ctx.kb.scopesOf(place).some((s) => s !== NATIONAL);
    return fill(own ? ctx.responses.scope_national_silent : ctx.responses.scope_national_for, { place });
  }
  if (!place || place === region) return null;
  const p = ctx.kb.regions.place(region);
  return p?.level === 'province' ? fill(ctx.responses.scope_province, { place, region }) : null;
}

/** 来源：issuing body《title》（文号）and the clause (or clauses, joined with 、), with the date. */
export function sourceLine(ctx: ComposeContext, notice: Notice, clauses: Clause | readonly Clause[], body: string): string {
  const m = notice.meta;
  // A label such as “1项举措…” would bring a figure no quote holds.
  const labels = ([] as Clause[])
    .concat(clauses)
    .map(clauseLabel)
    .filter((named): named is string => named !== null && (named.match(/\d+/g) ?? []).every((d) => body.includes(d)));
  const label = labels.length > 0 ? [...new Set(labels)].join('、') : null;
  const source = [m.authority, m.title ? `《${m.title}》` : null, m.docNumber ? `（${m.docNumber}）` : null, label]
    .filter(Boolean)
    .join('');
  const s = notice.script === 'simplified' ? source : toSimplified(source);
  return m.date ? fill(ctx.responses.source, { source: s, date: m.date }) : fill(ctx.responses.source_undated, { source: s });
}

/** The reminder the notice calls for: a temporary measure (ended or not) or a standing rule, with its date. */
export function reminderOf(ctx: ComposeContext, notice: Notice): { text: string; citation: Citation | null } {
  const r = ctx.responses;
  const date = notice.meta.date ?? '';
  if (notice.meta.kind === 'standing') return { text: fill(r.reminder_standing, { date }), citation: null };
  const ended = endedOf(ctx, notice);
  if (!ended) return { text: fill(r.reminder_temporary, { date }), citation: null };
  if (ended.how === 'stated') return { text: fill(r.reminder_expired, { date, expires: ended.text }), citation: ended.citation };
  return { text: fill(ended.how === 'recorded' ? r.reminder_recorded : r.reminder_ended, { date }), citation: null };
}

/**
 * How a temporary measure whose end (`meta.expires`) is before today is said to have ended:
 * - `stated`: a sentence of the notice states that end (有效期至…, 执行至…, 截至…止): the date as it writes
 *   it, with that sentence cited, so every digit said stands in a quote;
 * - `unstated`: the text gave the end but no such sentence is found again: said to have ended, no date;
 * - `recorded`: the end was set by the operators (a sidecar, not the text), and no sentence of the notice
 *   states it: said to have ended by the hotline's record, with no date — no citation could hold its digits,
 *   and a date written out in words would be a date no quote holds all the same.
 * Null for a measure still in force, one with no end date, or a standing rule.
 */
export type Ended = { how: 'stated'; text: string; citation: Citation } | { how: 'unstated' } | { how: 'recorded' };

/** Whether (and how) the notice's temporary measures have ended by today; the end sentence is looked for, not assumed. */
export function endedOf(ctx: ComposeContext, notice: Notice): Ended | null {
  const m = notice.meta;
  if (m.kind !== 'temporary' || !m.expires || m.expires >= ctx.today()) return null;
  for (const f of notice.facts) {
    if ((f.type !== 'date' && f.type !== 'deadline') || f.iso !== m.expires) continue;
    const clause = ctx.kb.clause(f.clause);
    if (!clause || !statesEnd(clause.quote, f.start, f.end)) continue;
    const citation = ctx.kb.citation(f.clause, sentenceAround(clause.quote, f.start, f.end));
    if (citation) return { how: 'stated', text: toSimplified(f.text).replace(/\s+/g, ''), citation };
  }
  // Only an end read from the text is the notice's own; any other (a sidecar, the desk) is the hotline's record.
  return notice.metaSources.expires === 'text' ? { how: 'unstated' } : { how: 'recorded' };
}

/** Words before a date that make it the end of the measures, as ingestion reads `expires` (有效期至, 执行到…). */
const END_BEFORE = /(?:有效期|执行期|实施期|试行期|执行|实施|施行|试行|适用)限?[^。；;！!？?，,]{0,16}?(?:至|到)\s*$/;
/** 截至…止, 至…止. */
const END_AROUND = /(?:截至|至)\s*$/;

/** Whether the date at start…end of a clause's text is stated as the end of the measures (not a deadline within them). */
function statesEnd(text: string, start: number, end: number): boolean {
  const before = toSimplified(text.slice(Math.max(0, start - 24), start)).replace(/^.*[。；;！!？?\n]/s, '');
  if (END_BEFORE.test(before)) return true;
  return END_AROUND.test(before) && /^\s*止/.test(text.slice(end));
}

interface Helpline {
  region: string;
  hotline: Hotline;
}

/** For a national measure, the asker's own region's hotline (the rule in force now is theirs to say). */
function nationalHelpline(ctx: ComposeContext, region: string, location: Location): Helpline | null {
  const place = location.place;
  if (region !== NATIONAL || !place || place === NATIONAL) return null;
  const hotline = regionHotline(ctx.kb, place);
  return hotline ? { region: place, hotline } : null;
}

/**
 * The first line of an answer from a measure that has ended: published on its date, ended (on the date a
 * cited sentence states, else with no date), what follows is not the rule now; and whom to ask instead.
 */
function expiredLine(
  ctx: ComposeContext,
  notice: Notice,
  ended: Ended,
  helpline: Helpline | null,
): { text: string; citations: Citation[] } {
  const r = ctx.responses;
  const date = notice.meta.date ?? '';
  const head =
    ended.how === 'stated'
      ? fill(r.expired_lead, { date, expires: ended.text })
      : fill(ended.how === 'recorded' ? r.expired_lead_recorded : r.expired_lead_ended, { date });
  const instead = helpline
    ? fill(r.expired_instead_hotline, { region: helpline.region, purpose: helpline.hotline.name, number: helpline.hotline.fact.number })
    : r.expired_instead;
  const citations = [...(ended.how === 'stated' ? [ended.citation] : []), ...(helpline ? [helpline.hotline.citation] : [])];
  return { text: `${head}${instead}`, citations };
}

function sameCitation(a: Citation, b: Citation): boolean {
  return a.notice === b.notice && a.clause === b.clause && a.quote === b.quote;
}

/**
 * The sentences to quote, from the hit's clause: the sentence that holds most of the question (a row that
 * names the asker's district first, a sentence with the value asked for next); others of the clause that
 * add words of the question it lacks (at most three in all), never another row's value when a row was
 * picked; the next sentence when the first is only a heading; and the clause's sentence with the value
 * asked for when none of them states it.
 */
function select(retriever: Retriever, hit: Hit, plan: Plan | null, location: Location): Passage[] {
  const query = plan?.query ?? { words: [], grams: [] };
  const clause = retriever.sentencesOf(hit.passage.clause.id, query);
  const wantedTypes = plan?.quoteFacts ?? [];
  const wanted = new Set(wantedTypes);
  // The clause's facts of the kinds wanted, found once (not per sentence per comparison).
  const clauseFacts =
    wanted.size === 0 ? [] : factsOf(hit.passage.notice, hit.passage.clause.id).filter((f) => factMatches(f, wantedTypes));
  const hasFact = (x: Passage) => clauseFacts.some((f) => f.clause === x.clause.id && f.start >= x.start && f.end <= x.end);
  const hasLocal = (x: Passage) => location.local.some((l) => x.norm.includes(l)) && hasFact(x);
  const keys = new Map(clause.map((h) => [h, h.sentenceCoverage + (hasFact(h.passage) ? 0.3 : 0) + (hasLocal(h.passage) ? 1 : 0)]));
  const key = (h: Hit) => keys.get(h) as number;
  const ranked = [...clause].sort((x, y) => key(y) - key(x) || y.score - x.score);
  const first = ranked[0] ?? hit;
  const out: Passage[] = [first.passage];
  const pickedRow = hasLocal(first.passage);
  const ownWords = query.words.filter((t) => t.cover > 0);
  const covered = new Set(ownWords.filter((t) => first.passage.norm.includes(t.term)).map((t) => t.term));
  for (const h of ranked.slice(1)) {
    if (out.length >= 3) break;
    if (pickedRow && (hasFact(h.passage) || /\d{5,}/.test(h.passage.norm))) continue;
    const adds = ownWords.filter((t) => !covered.has(t.term) && retriever.idf(t.term) > 1.5 && h.passage.norm.includes(t.term));
    if (adds.length === 0) continue;
    for (const t of adds) covered.add(t.term);
    out.push(h.passage);
  }
  const order = clause.map((h) => h.passage);
  const next = order[order.indexOf(first.passage) + 1];
  // A heading alone says what the item is about, not what it says: the sentence after it goes too.
  const heading = first.passage.clause.heading;
  const onlyHeading =
    first.passage.text.length < 16 || (first.passage.start === 0 && heading !== null && first.passage.text.length <= heading.length + 6);
  if (onlyHeading && next && !out.includes(next)) out.push(next);
  if (wanted.size > 0 && !out.some(hasFact) && !pickedRow) {
    const withFact = order.find(hasFact);
    if (withFact) out.push(withFact);
  }
  return out.sort((x, y) => x.start - y.start);
}

/**
 * The part of the quote that states what was asked: the stretch between punctuation around the first
 * fact of an asked-for type (or a count), widened by the stretch before it when it is too short to stand
 * alone. Taken from the quote itself, so it holds nothing the quote does not.
 */
function leadOf(passages: readonly Passage[], plan: Plan | null): string | null {
  if (!plan) return null;
  const wanted = new Set(plan.factTypes);
  for (const p of passages) {
    const facts = p.notice.facts.filter(
      (f: Fact) => f.clause === p.clause.id && f.start >= p.start && f.end <= p.end && wanted.has(f.type),
    );
    const f = facts[0];
    let at: { start: number; end: number } | null = f ? { start: f.start - p.start, end: f.end - p.start } : null;
    if (!at && plan.factTypes.length === 0) continue;
    if (!at) {
      const m = COUNT.exec(p.text);
      if (m) at = { start: m.index, end: m.index + m[0].length };
    }
    if (!at) continue;
    let a = at.start;
    while (a > 0 && !SEGMENT_END.test(p.text[a - 1] ?? '')) a--;
    if (at.start - a < 6 && a > 0) {
      a--;
      while (a > 0 && !SEGMENT_END.test(p.text[a - 1] ?? '')) a--;
    }
    let b = at.end;
    while (b < p.text.length && !SEGMENT_END.test(p.text[b] ?? '')) b++;
    const lead = p.text
      .slice(a, b)
      .replace(/^[（(]?[一二三四五六七八九十\d]+[)）、．.]\s*/, '')
      .trim();
    if (lead.length >= 4) return `${lead}。`.replace(/[，,；;：:]。$/, '。');
  }
  return null;
}

/** A question about a notice itself, answered from its metadata; the effective date from its own sentence. */
function metaAnswer(ctx: ComposeContext, notice: Notice, fields: readonly MetaAsk[], intentId: string): Draft {
  const r = ctx.responses.meta;
  const m = notice.meta;
  const simplified = (t: string) => (notice.script === 'simplified' ? t : toSimplified(t));
  const lines: string[] = [];
  const citations: Citation[] = [];
  for (const field of fields) {
    if (field === 'title' && m.title) lines.push(fill(r.title, { value: simplified(m.title) }));
    if (field === 'authority' && m.authority) lines.push(fill(r.authority, { value: simplified(m.authority) }));
    if (field === 'docNumber') lines.push(m.docNumber ? fill(r.docNumber, { value: m.docNumber }) : r.docNumber_none);
    if (field === 'date' && m.date) {
      const written = m.dateText ? simplified(m.dateText).replace(/\s+/g, '') : null;
      const partial = m.date.length < 10;
      const value = partial ? (written ?? m.date).replace(/日$/, '').replace(/月\s*$/, '月') : (written ?? m.date);
      lines.push(fill(partial ? r.date_partial : r.date, { value }));
    }
    if (field === 'effective') {
      const where = m.effectiveText ? notice.clauses.find((c) => c.quote.includes(m.effectiveText as string)) : undefined;
      const c = where && m.effectiveText ? ctx.kb.citation(where.id, m.effectiveText) : undefined;
      if (c) {
        const sentence = simplified(c.quote)
          .replace(/^[（(]?[一二三四五六七八九十\d]+[)）、．.]\s*/, '')
          .replace(/[。；;]$/, '');
        lines.push(fill(r.effective, { value: sentence }));
        citations.push(c);
      } else lines.push(r.effective_none);
    }
  }
  const anchor =
    notice.clauses.find((c) => c.kind === 'signature') ?? notice.clauses.find((c) => c.kind === 'preamble') ?? notice.clauses[0];
  const cite = anchor ? ctx.kb.citation(anchor.id) : undefined;
  if (cite) citations.unshift(cite);
  const label = notice.meta.region === NATIONAL ? '' : `${notice.meta.region ?? ''}：`;
  const title = m.title ? `《${simplified(m.title)}》` : '这份通知';
  return {
    type: 'answer',
    text: [`${label}${title}`, ...lines.map((l) => `${l}。`)].join('\n'),
    citations,
    intent: intentId,
    confidence: 0.9,
    suggestions: [],
    ...(notice.meta.region ? { region: notice.meta.region } : {}),
  };
}
