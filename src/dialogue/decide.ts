import { matchForm } from '../ingest/normalize.js';
import type { Notice } from '../ingest/notice.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';
import { charGrams, type Hit } from '../kb/retrieval.js';
import type { AsksFile, Policy } from './data.js';
import { META_FILLER } from './query.js';
import { states } from './retrieve.js';
import type { SessionState } from './session.js';
import type { Candidates, Decision, Heard, Location, Plan } from './types.js';

export const NATIONAL = '全国';
/** Ranking only (times the score): a clause that states the kind of value asked for, a row naming the asker's district. */
const FACT_BONUS = 1.5;
const LOCAL_BONUS = 3;
const HEADING_ONLY = 0.3;
/** A wider region's clause about as sure as the nearer one's (within scope.margin) with this many times its score answers instead. */
const WIDER_SCORE = 2;
/** How far below the best score a clause stating the value asked for may stand and still be preferred. */
const STATING_REACH = 0.5;
/** A number with a measure word: 2317家, 5名, 3种. */
export const COUNT = /\d+\s*(?:家|个|名|种|人|项|类|所|台)/;

/** How sure a hit is: the share of the question's words and of its character bigrams that the clause holds. */
export function confidence(hit: Hit): number {
  return Math.round(((hit.wordCoverage + hit.gramCoverage) / 2) * 100) / 100;
}

export interface DecideContext {
  kb: KnowledgeBase;
  policy: Policy;
  asks: AsksFile;
}

/**
 * Stage 5: the decision, as named rules tried in order (each rule's thresholds are in policy.yaml):
 * handoff.requested, complaint, urgent → smalltalk → out_of_domain (repeated_failure the second time) →
 * no_notice_for_region → answer.meta → personal (unless a notice answers clearly) → answer →
 * no_notice_for_year → clarify.city → clarify.topic → unanswered.
 */
export function decide(ctx: DecideContext, heard: Heard, location: Location, plan: Plan, found: Candidates, state: SessionState): Decision {
  const { policy } = ctx;
  const def = heard.confident ? heard.topDef : undefined;
  const p = heard.confident?.p ?? 0;
  const onlyPlace = heard.places.length > 0 && heard.content.length === 0;
  const region = location.place;

  // A person is asked for, a complaint, an emergency: whatever else the question holds.
  if (def?.kind === 'handoff' && !onlyPlace) {
    if (def.reason === 'requested') return handoff('handoff.requested', 'requested', region, p);
    if (def.reason === 'complaint') return handoff('complaint', 'complaint', region, p);
    if (def.reason === 'urgent') return handoff('urgent', 'urgent', region, p);
  }
  if (def?.kind === 'smalltalk' && !onlyPlace && (heard.smalltalk || heard.content.length <= policy.smalltalk.max_words))
    return { rule: 'smalltalk', intent: def.id, confidence: p };

  const searched = plan.query.words.length > 0 || plan.query.grams.length > 0;
  if (!plan.inDomain || !searched) {
    if (onlyPlace && !state.topic) return { rule: 'clarify.region_only', region };
    if (heard.topDef?.kind === 'handoff' && heard.topDef.reason === 'requested')
      return handoff('handoff.requested', 'requested', region, p);
    if (state.failures >= 1) return handoff('repeated_failure', 'repeated_failure', region, 0);
    return { rule: 'out_of_domain' };
  }
  if (location.unserved) return handoff('no_notice_for_region', 'not_covered', region, 0.5);

  if (heard.meta.length > 0) {
    const meta = metaNotice(ctx.kb, ctx.asks, heard, location, found, state);
    if (Array.isArray(meta)) return { rule: 'clarify.city', regions: meta, confidence: 0.5 };
    if (meta) return { rule: 'answer.meta', region: meta.meta.region ?? NATIONAL, notice: meta, fields: heard.meta, confidence: 0.9 };
  }

  const threshold = policy.answer.threshold * (plan.followUp ? policy.answer.followup_leniency : 1);
  // A row naming the asker's district counts when it states the kind of value asked for (its office's phone).
  const local = (h: Hit) => location.local.some((l) => h.passage.norm.includes(l)) && states(h, plan.factTypes);
  // An attachment (a form, a table) answers only what it states: a value asked for, the asker's row.
  const worth = (h: Hit) =>
    confidence(h) - (h.passage.clause.kind === 'attachment' && !states(h, plan.factTypes) && !local(h) ? policy.coverage.attachment : 0);
  // A value asked for with no topic (电话多少) is answered by a clause that states one, best by the row naming
  // the asker's district; so is a row that names it, whatever else the question says.
  const ok = (h: Hit) =>
    (worth(h) >= threshold && h.score >= policy.answer.min_score) ||
    (plan.requiredFacts.length > 0 && states(h, plan.requiredFacts) && (local(h) || plan.topicless));
  // A clause that is only a heading (一、生育津贴) names a topic its items answer: they go first.
  const ranks = new Map<Hit, number>();
  const rank = (h: Hit) => {
    let r = ranks.get(h);
    if (r === undefined) {
      const bare = h.passage.clause.quote.trim().length < 16;
      r =
        h.score *
        (states(h, plan.factTypes) ? FACT_BONUS : 1) *
        (local(h) ? LOCAL_BONUS : 1) *
        (worth(h) < confidence(h) ? 0.5 : 1) *
        (bare ? HEADING_ONLY : 1);
      ranks.set(h, r);
    }
    return r;
  };
  // Among acceptable hits near the best score (a clause far weaker on the topic is no answer for stating a
  // date), those whose clause states the kind of value asked for (a duration, a date …) first.
  const bestOf = (hits: readonly Hit[], accept: (h: Hit) => boolean) => {
    const ok = hits.filter(accept);
    const top = Math.max(0, ...ok.map((h) => h.score));
    const pool = ok.filter((h) => h.score >= STATING_REACH * top);
    const exact = pool.filter((h) => states(h, plan.primaryFacts));
    const stating =
      exact.length > 0 ? exact : pool.filter((h) => states(h, plan.factTypes) || (plan.wantsCount && COUNT.test(h.passage.clause.norm)));
    return (stating.length > 0 ? stating : pool).sort((a, b) => rank(b) - rank(a))[0] ?? null;
  };

  // Personal records and card services: a person's, unless a notice answers clearly and the classifier is not sure.
  const personal = def?.kind === 'handoff' && (def.reason === 'personal' || def.reason === 'not_covered') && heard.u.domainWords.length > 0;
  if (personal && p >= policy.personal.threshold) return handoff('personal', def?.reason ?? 'personal', region, p);

  if (location.place !== null) {
    // The most specific region that answers; a wider one only when it answers clearly better.
    let chosen: { region: string; hit: Hit } | null = null;
    for (const { region: r, hits } of found.byScope) {
      const hit = bestOf(hits, ok);
      if (!hit) continue;
      const better =
        !chosen ||
        confidence(hit) > confidence(chosen.hit) + policy.scope.margin ||
        (confidence(hit) + policy.scope.margin >= confidence(chosen.hit) && hit.score >= WIDER_SCORE * chosen.hit.score);
      if (better) chosen = { region: r, hit };
    }
    if (chosen && personal && confidence(chosen.hit) < policy.answer.personal_override)
      return handoff('personal', def?.reason ?? 'personal', region, p);
    if (chosen) {
      const year = missingYear(heard, chosen.hit.passage.notice);
      if (year) return { ...handoff('no_notice_for_year', 'not_covered', region, 0.5), year };
      return { rule: 'answer', region: chosen.region, hit: chosen.hit, confidence: confidence(chosen.hit) };
    }
    if (personal) return handoff('personal', def?.reason ?? 'personal', region, p);
    const near = found.byScope.flatMap((s) => s.hits);
    return topicOrHandoff(policy, near, region, plan, heard);
  }

  // No place known: answer when one region speaks to it (or the national notices clearly do), ask which city otherwise.
  // A number asked for with no topic (给个电话) is the asker's city's (or district's): ask where they are.
  if (plan.topicless && plan.requiredFacts.length > 0) {
    const stating = ctx.kb
      .regionNames()
      .filter((r) => r !== NATIONAL && plan.requiredFacts.every((t) => ctx.kb.facts({ region: r, type: t }).length > 0));
    if (stating.length > 0) return { rule: 'clarify.city', regions: stating, confidence: 0.5 };
  }
  const all = found.all;
  const perRegion = new Map<string, Hit>();
  for (const h of all) {
    const r = h.passage.notice.meta.region;
    if (r && !perRegion.has(r) && ok(h)) perRegion.set(r, h);
  }
  const ranked = [...perRegion.entries()].sort((a, b) => rank(b[1]) - rank(a[1]));
  const first = ranked[0];
  if (first && personal && confidence(first[1]) < policy.answer.personal_override)
    return handoff('personal', def?.reason ?? 'personal', null, p);
  if (!first) {
    if (personal) return handoff('personal', def?.reason ?? 'personal', null, p);
    if (heard.topDef?.kind === 'fallback' && heard.confident) return { rule: 'out_of_domain' };
    return topicOrHandoff(policy, all, null, plan, heard);
  }
  const regional = (r: string) => r !== NATIONAL;
  if (plan.factTypes.length > 0 && plan.requiredFacts.length > 0) {
    // “Which number?” depends on the city whenever several cities' notices state one.
    const stating = ctx.kb
      .regionNames()
      .filter((r) => regional(r) && plan.requiredFacts.every((t) => ctx.kb.facts({ region: r, type: t }).length > 0));
    if (stating.length >= 2) return { rule: 'clarify.city', regions: stating, confidence: 0.5 };
  }
  const needsRegion = plan.intent?.needs?.includes('region') ?? true;
  if (needsRegion) {
    // Other regions whose notices speak to the question, if less closely, make the city worth asking.
    for (const h of all) {
      const r = h.passage.notice.meta.region;
      if (r && !perRegion.has(r) && confidence(h) >= policy.clarify_city.also * threshold && h.score >= 0.5 * first[1].score) {
        perRegion.set(r, h);
        ranked.push([r, h]);
      }
    }
  }
  const others = ranked.filter(([r]) => r !== first[0] && regional(r));
  const second = others[0];
  const clear = !second || second[1].score < first[1].score * (1 - policy.clarify_city.ambiguity) * 0.5;
  if (others.length === 0 || (!needsRegion && clear) || (first[0] === NATIONAL && clear)) {
    const year = missingYear(heard, first[1].passage.notice);
    if (year) return { ...handoff('no_notice_for_year', 'not_covered', null, 0.5), year };
    return { rule: 'answer', region: first[0], hit: first[1], confidence: confidence(first[1]) };
  }
  return { rule: 'clarify.city', regions: ranked.map(([r]) => r).filter(regional), confidence: confidence(first[1]) };
}

function handoff(
  rule: Extract<Decision, { reason: unknown }>['rule'],
  reason: Extract<Decision, { reason: unknown }>['reason'],
  region: string | null,
  confidence: number,
): Extract<Decision, { reason: unknown }> {
  return { rule, reason, region, confidence: Math.round(confidence * 100) / 100 };
}

/** Close but not close enough: offer the nearest items (“您是想问…？”), else hand over. */
function topicOrHandoff(policy: Policy, hits: readonly Hit[], region: string | null, plan: Plan, heard: Heard): Decision {
  const choices: Hit[] = [];
  for (const h of [...hits].sort((a, b) => confidence(b) - confidence(a))) {
    if (choices.length >= 3 || confidence(h) < policy.clarify_topic.threshold || h.score < policy.answer.min_score) continue;
    if (choices.some((c) => c.passage.clause.id === h.passage.clause.id)) continue;
    choices.push(h);
  }
  if (choices.length > 0 && !plan.followUp) return { rule: 'clarify.topic', choices, region, confidence: confidence(choices[0] as Hit) };
  const best = hits[0];
  const reason = heard.topDef?.kind === 'handoff' && heard.topDef.reason ? heard.topDef.reason : 'unanswered';
  return handoff('unanswered', reason, region, best ? confidence(best) : 0);
}

/** A year the question names that the notice never mentions (a later year's contributions): no guess. */
function missingYear(heard: Heard, notice: Notice): number | null {
  for (const y of heard.years) {
    if (notice.meta.date?.startsWith(String(y))) continue;
    if (!notice.text.includes(String(y))) return y;
  }
  return null;
}

/**
 * The notice a question about a notice means: the one whose 文号 it names; else, in the most specific of
 * the asker's regions that has one, the notice its words point to (by the clauses they find and by its
 * title and issuing body: 国家医保局那个跨省异地就医备案的通知); else the one last answered from; else the
 * only one there is. A list of regions when the city must be asked.
 */
function metaNotice(
  kb: KnowledgeBase,
  cues: AsksFile,
  heard: Heard,
  location: Location,
  found: Candidates,
  state: SessionState,
): Notice | string[] | null {
  if (heard.docNumber) {
    const want = docForm(heard.docNumber);
    // The question may run words on before it (查一下医保发〔2022〕22号): the notice's 文号 ends it.
    const byNumber = kb.notices.find((n) => n.meta.docNumber && want.endsWith(docForm(n.meta.docNumber)));
    if (byNumber) return byNumber;
  }
  const topical = heard.content.filter(
    (w) => w.length >= 2 && !META_FILLER.test(w) && !heard.meta.some((m) => cues.meta[m].some((c) => c.includes(w))),
  );
  const grams = new Set(topical.flatMap((w) => charGrams(w)).filter((g) => g.length === 2));
  if (grams.size > 0) {
    const groups =
      location.place !== null
        ? found.byScope.map((s) => ({ notices: kb.noticesOf(s.region), hits: s.hits }))
        : [{ notices: kb.notices, hits: found.all }];
    for (const { notices, hits } of groups) {
      const top = Math.max(1, ...hits.map((h) => h.score));
      let best: { n: Notice; v: number } | null = null;
      for (const n of notices) {
        const named = charGrams(matchForm(`${n.meta.title ?? ''}${n.meta.authority ?? ''}`));
        const sim = [...grams].filter((g) => named.includes(g)).length / grams.size;
        const hit = Math.max(0, ...hits.filter((h) => h.passage.notice === n).map((h) => h.score)) / top;
        const v = 0.5 * sim + 0.5 * hit;
        if (v > 0 && (!best || v > best.v)) best = { n, v };
      }
      if (best) return best.n;
    }
  }
  const last = state.topic?.notice ? kb.notice(state.topic.notice) : undefined;
  if (last) return last;
  const pool = location.place !== null ? location.scopes.flatMap((r) => kb.noticesOf(r)) : kb.notices;
  if (pool.length === 1) return pool[0] as Notice;
  if (location.place !== null && location.scopes[0]) {
    const own = kb.noticesOf(location.scopes[0]);
    if (own.length === 1) return own[0] as Notice;
  }
  return location.place === null ? kb.regionNames().filter((r) => r !== NATIONAL) : null;
}

/** A 文号 in one form whatever brackets it was written with: 甬医保发〔2021〕12号. */
function docForm(doc: string): string {
  return matchForm(doc)
    .replace(/\s+/g, '')
    .replace(/[[(（【]/g, '〔')
    .replace(/[\])）】]/g, '〕');
}
