import type { Fact, FactType } from '../ingest/facts/index.js';
import type { Notice } from '../ingest/notice.js';
import type { Hit, Retriever } from '../kb/retrieval.js';
import type { Candidates, Location, Plan } from './types.js';

/** Hits kept per scope, and over all notices when the place is unknown. */
const PER_SCOPE = 8;
const OVER_ALL = 30;

/**
 * Whether a fact is of one of the types asked for. A deadline answers “when” only with a calendar date
 * (2023年3月31日前), and “how long” only as a span (5个工作日内).
 */
export function factMatches(f: Fact, types: readonly FactType[]): boolean {
  if (!types.includes(f.type)) return false;
  if (f.type !== 'deadline') return true;
  const when = types.includes('date');
  const howLong = types.includes('duration');
  return when === howLong || (when ? f.iso !== null : f.relative !== null);
}

const byClause = new WeakMap<Notice, Map<string, Fact[]>>();

/** A clause's facts (indexed once per notice). */
export function factsOf(notice: Notice, clauseId: string): readonly Fact[] {
  let index = byClause.get(notice);
  if (!index) {
    index = new Map();
    for (const f of notice.facts) index.set(f.clause, [...(index.get(f.clause) ?? []), f]);
    byClause.set(notice, index);
  }
  return index.get(clauseId) ?? [];
}

/** Whether the hit's clause states a fact of one of the types. */
export function states(hit: Hit, types: readonly FactType[]): boolean {
  if (types.length === 0) return false;
  return factsOf(hit.passage.notice, hit.passage.clause.id).some((f) => factMatches(f, types));
}

/**
 * Stage 4: the best sentences in each region that speaks for the asker's place, most specific first; over
 * all notices when the place is unknown. A question that needs a kind of fact (a phone number) only gets
 * sentences whose clause states one.
 */
export function retrieve(retriever: Retriever, plan: Plan, location: Location): Candidates {
  if (plan.query.words.length === 0 && plan.query.grams.length === 0) return { byScope: [], all: [] };
  const keep = (h: Hit) => plan.requiredFacts.length === 0 || states(h, plan.requiredFacts);
  if (location.place === null) {
    return { byScope: [], all: retriever.search(plan.query, OVER_ALL).filter(keep) };
  }
  const found = retriever.searchRegions(plan.query, location.scopes, PER_SCOPE);
  return { byScope: location.scopes.map((region) => ({ region, hits: (found.get(region) ?? []).filter(keep) })), all: [] };
}
