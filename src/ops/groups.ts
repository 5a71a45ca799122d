/**
 * The desk's groups of misses (issue 16): by similar question, by region or by intent, each with its counts
 * per day, kinds, regions and intents, sample questions with what the bot replied, and the clauses retrieval
 * found closest across it.
 *
 * Similar questions: every distinct question (after folding width, case, spaces and punctuation) is a
 * TF-IDF vector of its jieba terms; the distance of two is 1 − cosine; ml-hclust's agglomerative clustering
 * (`agnes`, average linkage, on that distance matrix) is cut at QUESTION_CUT. Questions with the same terms
 * are at distance 0 and so always end in one group.
 */
import { agnes } from 'ml-hclust';
import type { Nlu } from '../nlu/index.js';
import type { GroupBy, Miss, MissGroup, MissKind } from './types.js';

/**
 * The distance (1 − cosine of TF-IDF vectors, average linkage) at which the tree of similar questions is cut.
 * Chosen on the project's labelled questions (test/eval/questions.jsonl: 173 one-turn items with one topic
 * tag such as `chronic_rx`, `remote`, `deferral`; 32 topics), place names left out, by the pairwise F1 of
 * "same group" against "same topic" while sweeping the cut: 0.5 → 0.32, 0.6 → 0.40, 0.7 → 0.49, 0.8 → 0.52,
 * 0.85 → 0.56, 0.9 → 0.54, 0.95 → 0.55, with precision falling from 0.98 (0.6) to 0.66 (0.8) and 0.50 (0.9).
 * 0.8 is the lower end of the plateau, where groups are still mostly one topic: an operator would rather merge
 * two groups by eye than read one that mixes topics. On the held-out dev set (37 questions, 24 topics) 0.8
 * gives 0.55 (best 0.71 at 0.6).
 */
export const QUESTION_CUT = 0.8;

/**
 * At most this many misses, the newest, are grouped (the caller need not read more). agnes is cubic in the
 * distinct questions it is given (2-core dev machine: 200 in 0.1 s, 400 in 0.25 s, 800 in 1.1 s). The questions
 * are first split into sets no pair of which is within the cut, each clustered on its own, but pairs chain:
 * 1,000 misses made of the labelled questions (729 distinct) left one set of 608 and took 0.8–2.4 s. It runs on
 * the event loop, so its time is how long the service answers nothing else: bench/ops measured 77 ms for 250
 * distinct questions, 309 ms for 500 and 1.8 s for 1,000; 500 keeps the stall to a few hundred ms (and the desk
 * keeps a grouping 30 s).
 */
export const MAX_GROUPED = 500;

const MAX_SAMPLES = 5;
const MAX_CLAUSES = 3;
const LABEL_TERMS = 3;
const KEY_TERMS = 5;
export const NO_REGION = '(未知地区)';
export const NO_INTENT = '(无意图)';

/** Words that say nothing of the topic once place names are gone (as the dialogue's understanding drops them). */
const FILLER = new Set(['市', '省', '区', '县', '地区', '这边', '那边', '本地', '当地', '参保', '我在', '我是', '人', '家']);

export interface GroupOptions {
  by: GroupBy;
  /** The question's terms (questionTerms). */
  terms: (text: string) => string[];
  /** The days counted per group, oldest first (`YYYY-MM-DD`). */
  days: string[];
  /** A notice's title, when it is known. */
  title: (notice: string) => string | null;
  /** The calendar day of an instant, in the form of `days`. */
  dayOf: (at: number) => string;
  /** The distance to cut the tree of similar questions at: QUESTION_CUT unless given (for tuning it). */
  cut?: number;
  /** The newest this many are grouped: MAX_GROUPED unless given (bench/ops measures larger ones). */
  limit?: number;
}

/**
 * A question's terms through the project's NLU: jieba's search-mode content words of the normalized question
 * (synonyms rewritten, stop words and punctuation left out), without the words `isPlace` calls a place (the
 * desk groups places separately, by region) or place filler (市, 参保 …).
 */
export function questionTerms(nlu: Nlu, isPlace?: (word: string) => boolean): (text: string) => string[] {
  return (text) => nlu.understand(text).searchWords.filter((w) => !FILLER.has(w) && !/^\d+$/.test(w) && !isPlace?.(w));
}

/** The groups of misses, largest first (ties: the one with the newest miss first). */
export function groupMisses(misses: readonly Miss[], options: GroupOptions): MissGroup[] {
  const newest = [...misses].sort((a, b) => b.at - a.at || b.id - a.id).slice(0, options.limit ?? MAX_GROUPED);
  const vectors = termVectors(newest, options.terms);
  const parts: { value: string | null; members: number[] }[] = [];
  if (options.by === 'question')
    for (const members of similarQuestions(vectors, options.cut ?? QUESTION_CUT)) parts.push({ value: null, members });
  else {
    const by = new Map<string, number[]>();
    for (const [i, m] of newest.entries()) {
      const value = options.by === 'region' ? (m.region ?? NO_REGION) : (m.intent ?? NO_INTENT);
      const members = by.get(value);
      if (members) members.push(i);
      else by.set(value, [i]);
    }
    for (const [value, members] of by) parts.push({ value, members });
  }
  const prefix = { question: 'q:', region: 'r:', intent: 'i:' }[options.by];
  const dayIndex = new Map(options.days.map((d, i) => [d, i]));
  const used = new Set<string>();
  const groups = parts.map(({ value, members }) => {
    const list = members.map((i) => newest[i] as Miss);
    const terms = topTerms(members.map((i) => vectors.byMiss[i] as Map<string, number>));
    const first = list[0]?.text ?? '';
    // Two groups may share their top terms (or have none): the later one's key gets a number.
    const base = `${prefix}${value ?? ([...terms].sort().join(' ') || fold(first))}`;
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base}#${n}`;
    used.add(key);
    return describeGroup(key, value ?? (terms.slice(0, LABEL_TERMS).join(' ') || first), terms, list, dayIndex, options);
  });
  return groups.sort((a, b) => b.count - a.count || (b.samples[0]?.at ?? 0) - (a.samples[0]?.at ?? 0) || a.key.localeCompare(b.key));
}

interface TermVectors {
  /** Per miss (in the order given): its question's TF-IDF weights. */
  byMiss: Map<string, number>[];
  /** Per distinct question: its vector, its length and the misses that asked it. */
  questions: { vector: Map<string, number>; norm: number; misses: number[] }[];
}

/** A question folded for "the same question": width and case folded, spaces, punctuation and symbols gone. */
function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
}

/** TF-IDF vectors of the distinct questions: a term's weight is its count times ln((1 + D) / (1 + df)) + 1, D and df over distinct questions. */
function termVectors(misses: readonly Miss[], terms: (text: string) => string[]): TermVectors {
  const distinct = new Map<string, { counts: Map<string, number>; misses: number[] }>();
  for (const [i, m] of misses.entries()) {
    const key = fold(m.text);
    const seen = distinct.get(key);
    if (seen) {
      seen.misses.push(i);
      continue;
    }
    const counts = new Map<string, number>();
    for (const t of terms(m.text)) counts.set(t, (counts.get(t) ?? 0) + 1);
    distinct.set(key, { counts, misses: [i] });
  }
  const df = new Map<string, number>();
  for (const { counts } of distinct.values()) for (const t of counts.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const total = distinct.size;
  const byMiss: Map<string, number>[] = [];
  const questions: TermVectors['questions'] = [];
  for (const { counts, misses: ids } of distinct.values()) {
    const vector = new Map<string, number>();
    for (const [t, n] of counts) vector.set(t, n * (Math.log((1 + total) / (1 + (df.get(t) ?? 0))) + 1));
    const norm = Math.sqrt([...vector.values()].reduce((s, w) => s + w * w, 0));
    questions.push({ vector, norm, misses: ids });
    for (const i of ids) byMiss[i] = vector;
  }
  return { byMiss, questions };
}

/** 1 − cosine; a question without terms is at distance 1 from every other. */
function distance(a: TermVectors['questions'][number], b: TermVectors['questions'][number]): number {
  if (a.norm === 0 || b.norm === 0) return 1;
  const [small, large] = a.vector.size <= b.vector.size ? [a.vector, b.vector] : [b.vector, a.vector];
  let dot = 0;
  for (const [t, w] of small) dot += w * (large.get(t) ?? 0);
  return Math.max(0, 1 - dot / (a.norm * b.norm));
}

/** The misses of each group of similar questions. */
function similarQuestions({ questions }: TermVectors, cut: number): number[][] {
  const n = questions.length;
  const d: Float64Array[] = questions.map(() => new Float64Array(n));
  // Sets of questions linked by pairs within the cut: with average linkage no two of different sets can merge
  // below it, so each set is clustered on its own (a set is typically one topic, far smaller than the whole).
  const parent = questions.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) {
      const up = parent[i] as number;
      parent[i] = parent[up] as number;
      i = up;
    }
    return i;
  };
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const v = distance(questions[i] as TermVectors['questions'][number], questions[j] as TermVectors['questions'][number]);
      (d[i] as Float64Array)[j] = v;
      (d[j] as Float64Array)[i] = v;
      if (v <= cut) parent[root(i)] = root(j);
    }
  const sets = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const set = sets.get(root(i));
    if (set) set.push(i);
    else sets.set(root(i), [i]);
  }
  const out: number[][] = [];
  for (const set of sets.values()) {
    const clusters =
      set.length === 1
        ? [set]
        : agnes(
            set.map((i) => set.map((j) => (d[i] as Float64Array)[j] as number)),
            { method: 'average', isDistanceMatrix: true },
          )
            .cut(cut)
            .map((c) => c.indices().map((k) => set[k] as number));
    for (const c of clusters) out.push(c.flatMap((q) => (questions[q] as TermVectors['questions'][number]).misses));
  }
  return out;
}

/**
 * A group's terms by summed weight over its misses, most telling first; a term inside one already taken, or
 * holding one, is left out (异地就医 then not 异地, 就医).
 */
function topTerms(vectors: readonly Map<string, number>[]): string[] {
  const sum = new Map<string, number>();
  for (const v of vectors) for (const [t, w] of v) sum.set(t, (sum.get(t) ?? 0) + w);
  const out: string[] = [];
  for (const [t] of [...sum].sort((a, b) => b[1] - a[1] || b[0].length - a[0].length || a[0].localeCompare(b[0]))) {
    if (out.some((o) => o.includes(t) || t.includes(o))) continue;
    out.push(t);
    if (out.length === KEY_TERMS) break;
  }
  return out;
}

function describeGroup(
  key: string,
  label: string,
  terms: string[],
  misses: readonly Miss[],
  dayIndex: ReadonlyMap<string, number>,
  options: GroupOptions,
): MissGroup {
  const newestFirst = [...misses].sort((a, b) => b.at - a.at || b.id - a.id);
  const perDay = options.days.map(() => 0);
  const kinds: Partial<Record<MissKind, number>> = {};
  const regions: Record<string, number> = {};
  const intents: Record<string, number> = {};
  for (const m of misses) {
    const day = dayIndex.get(options.dayOf(m.at));
    if (day !== undefined) perDay[day] = (perDay[day] ?? 0) + 1;
    kinds[m.kind] = (kinds[m.kind] ?? 0) + 1;
    const r = m.region ?? NO_REGION;
    const i = m.intent ?? NO_INTENT;
    regions[r] = (regions[r] ?? 0) + 1;
    intents[i] = (intents[i] ?? 0) + 1;
  }
  return {
    key,
    label,
    terms,
    count: misses.length,
    perDay,
    kinds,
    regions,
    intents,
    samples: samples(newestFirst).map((m) => ({
      id: m.id,
      at: m.at,
      kind: m.kind,
      text: m.text,
      reply: m.reply,
      replyType: m.replyType,
      region: m.region,
      intent: m.intent,
      rule: m.rule,
      channel: m.channel,
    })),
    clauses: closestClauses(misses, options.title),
    ids: newestFirst.map((m) => m.id),
  };
}

/** Up to five misses, newest first, one per distinct question while there are enough of them. */
function samples(newestFirst: readonly Miss[]): Miss[] {
  const seen = new Set<string>();
  const picked = newestFirst.filter((m) => {
    const k = fold(m.text);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const chosen = new Set(picked.slice(0, MAX_SAMPLES));
  for (const m of newestFirst) if (chosen.size < MAX_SAMPLES) chosen.add(m);
  return newestFirst.filter((m) => chosen.has(m));
}

/** The clauses found for most of the group's misses (each miss counts a clause once), ties by best score. */
function closestClauses(misses: readonly Miss[], title: (notice: string) => string | null): MissGroup['clauses'] {
  const found = new Map<string, { notice: string; clause: string; n: number; best: number }>();
  for (const m of misses) {
    const once = new Set<string>();
    for (const c of m.candidates) {
      const k = `${c.notice}\u0000${c.clause}`;
      const seen = found.get(k) ?? { notice: c.notice, clause: c.clause, n: 0, best: c.score };
      if (!once.has(k)) seen.n++;
      once.add(k);
      seen.best = Math.max(seen.best, c.score);
      found.set(k, seen);
    }
  }
  return [...found.values()]
    .sort((a, b) => b.n - a.n || b.best - a.best)
    .slice(0, MAX_CLAUSES)
    .map((c) => ({ notice: c.notice, clause: c.clause, title: title(c.notice), n: c.n, best: c.best }));
}
