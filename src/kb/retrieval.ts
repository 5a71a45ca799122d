import type { Notice } from '../ingest/notice.js';
import type { Clause } from '../ingest/structure.js';
import { Bm25 } from './bm25.js';
import type { KnowledgeBase } from './knowledge-base.js';

/** A sentence of a clause (or a row of a table): the unit an answer quotes. */
export interface Passage {
  notice: Notice;
  clause: Clause;
  /** Offsets of the sentence in the clause's quote. */
  start: number;
  end: number;
  text: string;
  norm: string;
}

/**
 * A query term. `weight` counts in the score; `cover` (0–1) is how much the term counts in coverage: 1 for
 * the question's own topic words, less for words that only tell the asker's situation, 0 for expansions
 * (intent keywords) and place words that pick a row.
 */
export interface QueryTerm {
  term: string;
  weight: number;
  cover: number;
}

/**
 * A query in two views of the same words: jieba words, and the character bigrams of the question's content
 * runs. Bigrams survive what word matching does not: another segmentation, a typo in one character, a
 * compound the notice splits (缓缴期 / 缓缴的期限).
 */
export interface Query {
  words: readonly QueryTerm[];
  grams: readonly QueryTerm[];
}

/** How well a passage (with its clause) matches a query. */
export interface Match {
  /** Share of the question's own words' weight (IDF) found in the passage or its clause. */
  wordCoverage: number;
  /** The same over character bigrams. */
  gramCoverage: number;
  /** Share of the question's own words' and bigrams' weight found in the sentence itself. */
  sentenceCoverage: number;
}

export interface Hit extends Match {
  passage: Passage;
  /** Fused BM25: the sentence's words and bigrams, plus half its clause's. */
  score: number;
}

/** How much the whole clause counts next to the sentence itself. */
const CLAUSE_WEIGHT = 0.5;
/** How much the bigram view counts next to the word view. */
const GRAM_WEIGHT = 0.5;
const SENTENCE_END = /[。;!?\n]/;
const RUN = /[\p{Script=Han}a-z0-9]+/gu;

/** Character bigrams of the word-character runs of a text in match form (a run of one character is kept whole). */
export function charGrams(norm: string): string[] {
  const out: string[] = [];
  for (const m of norm.matchAll(RUN)) {
    const run = m[0];
    if (run.length === 1) {
      out.push(run);
      continue;
    }
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  }
  return out;
}

/**
 * Sentence retrieval over the knowledge base: BM25 over words and over character bigrams, each on the
 * sentence and (at half weight) on its clause, so a sentence is found by its own words and by the topic of
 * the item it stands in. Built once per knowledge base; queries are pure.
 */
export class Retriever {
  readonly passages: Passage[] = [];
  private readonly sentenceWords = new Bm25();
  private readonly sentenceGrams = new Bm25();
  private readonly clauseWords = new Bm25();
  private readonly clauseGrams = new Bm25();
  private readonly clauseOf: number[] = [];
  private readonly clauseWordSets: Set<string>[] = [];
  private readonly clauseGramSets: Set<string>[] = [];
  private readonly passageWordSets: Set<string>[] = [];
  private readonly passageGramSets: Set<string>[] = [];
  private readonly byClause = new Map<string, number[]>();

  constructor(kb: KnowledgeBase, tokenize: (norm: string) => string[], rewrite: (norm: string) => string = (n) => n) {
    for (const notice of kb.notices) {
      for (const clause of notice.clauses) {
        if (clause.kind === 'signature') continue;
        const headings = clause.headings.join(' ').replace(/\s+/g, ' ');
        const cWords = [...tokenize(clause.norm), ...tokenize(headings)];
        const cGrams = [...charGrams(rewrite(clause.norm)), ...charGrams(rewrite(headings))];
        const clauseIndex = this.clauseWordSets.length;
        this.clauseWords.add(cWords);
        this.clauseGrams.add(cGrams);
        this.clauseWordSets.push(new Set(cWords));
        this.clauseGramSets.push(new Set(cGrams));
        for (const s of sentences(clause)) {
          const words = tokenize(s.norm);
          const grams = charGrams(rewrite(s.norm));
          const index = this.passages.length;
          this.passages.push({ notice, clause, ...s });
          this.sentenceWords.add(words);
          this.sentenceGrams.add(grams);
          this.passageWordSets.push(new Set(words));
          this.passageGramSets.push(new Set(grams));
          this.clauseOf.push(clauseIndex);
          const list = this.byClause.get(clause.id) ?? [];
          list.push(index);
          this.byClause.set(clause.id, list);
        }
      }
    }
    for (const index of [this.sentenceWords, this.sentenceGrams, this.clauseWords, this.clauseGrams]) index.seal();
    this.sentenceScores = new Float64Array(this.passages.length);
    this.clauseScores = new Float64Array(this.clauseWordSets.length);
  }

  /** Score buffers, reused by every query (queries are synchronous). */
  private sentenceScores: Float64Array;
  private clauseScores: Float64Array;

  /** Inverse document frequency of a word over sentences (0 for a word no notice uses). */
  idf(term: string): number {
    return this.knows(term) ? this.sentenceWords.idf(term) : 0;
  }

  /** Whether any notice uses the word. */
  knows(term: string): boolean {
    return this.sentenceWords.has(term) || this.clauseWords.has(term);
  }

  /** Whether any notice uses the bigram. */
  knowsGram(gram: string): boolean {
    return this.sentenceGrams.has(gram) || this.clauseGrams.has(gram);
  }

  /** The best sentences for the query among the notices `filter` accepts, best first. */
  search(query: Query, filter: (n: Notice) => boolean, limit = 5): Hit[] {
    return this.searchGroups(query, (n) => (filter(n) ? '' : null), limit).get('') ?? [];
  }

  /**
   * The best sentences for the query in each region of `regions`, best first, from one scoring pass
   * (a question is searched in its district's city, its province and the national notices at once).
   */
  searchRegions(query: Query, regions: readonly string[], limit = 5): Map<string, Hit[]> {
    const wanted = new Set(regions);
    return this.searchGroups(query, (n) => (n.meta.region !== null && wanted.has(n.meta.region) ? n.meta.region : null), limit);
  }

  private searchGroups(query: Query, group: (n: Notice) => string | null, limit: number): Map<string, Hit[]> {
    const sentence = this.sentenceScores.fill(0);
    const clause = this.clauseScores.fill(0);
    this.sentenceWords.score(query.words, sentence);
    this.sentenceGrams.score(query.grams, sentence, GRAM_WEIGHT);
    this.clauseWords.score(query.words, clause);
    this.clauseGrams.score(query.grams, clause, GRAM_WEIGHT);
    const tops = new Map<string, Top>();
    for (let doc = 0; doc < this.passages.length; doc++) {
      const score = (sentence[doc] as number) + CLAUSE_WEIGHT * (clause[this.clauseOf[doc] as number] as number);
      if (score <= 0) continue;
      const g = group((this.passages[doc] as Passage).notice);
      if (g === null) continue;
      let top = tops.get(g);
      if (!top) {
        top = { docs: new Int32Array(limit), scores: new Float64Array(limit), size: 0 };
        tops.set(g, top);
      }
      if (top.size === limit && score <= (top.scores[limit - 1] as number)) continue;
      let i = top.size < limit ? top.size++ : limit - 1;
      while (i > 0 && (top.scores[i - 1] as number) < score) {
        top.docs[i] = top.docs[i - 1] as number;
        top.scores[i] = top.scores[i - 1] as number;
        i--;
      }
      top.docs[i] = doc;
      top.scores[i] = score;
    }
    const weights = this.weigh(query);
    const out = new Map<string, Hit[]>();
    for (const [g, top] of tops) {
      const hits: Hit[] = [];
      for (let i = 0; i < top.size; i++) hits.push(this.hit(top.docs[i] as number, top.scores[i] as number, query, weights));
      out.set(g, hits);
    }
    return out;
  }

  /** All sentences of a clause as hits for the query, in text order. */
  sentencesOf(clauseId: string, query: Query): Hit[] {
    const weights = this.weigh(query);
    return (this.byClause.get(clauseId) ?? []).map((doc) => {
      const words = this.sentenceWords.scoreOne(query.words, doc);
      const grams = this.sentenceGrams.scoreOne(query.grams, doc);
      return this.hit(doc, words + GRAM_WEIGHT * grams, query, weights);
    });
  }

  private hit(doc: number, score: number, query: Query, weights = this.weigh(query)): Hit {
    const pw = this.passageWordSets[doc] as Set<string>;
    const cw = this.clauseWordSets[this.clauseOf[doc] as number] as Set<string>;
    const pg = this.passageGramSets[doc] as Set<string>;
    const cg = this.clauseGramSets[this.clauseOf[doc] as number] as Set<string>;
    const w = coverage(weights.words, weights.wordTotal, pw, cw);
    const g = coverage(weights.grams, weights.gramTotal, pg, cg);
    return {
      passage: this.passages[doc] as Passage,
      score,
      wordCoverage: w.clause,
      gramCoverage: g.clause,
      sentenceCoverage: (w.sentence + g.sentence) / 2,
    };
  }

  /**
   * Each term's weight in coverage, worked out once per query: its IDF times its `cover`. A term no notice
   * uses counts at the highest IDF: a question about something the notices never mention is not covered by
   * the few words it shares with them.
   */
  private weigh(query: Query): Weights {
    const words = query.words.filter((t) => t.cover > 0).map((t) => [t.term, this.sentenceWords.idf(t.term) * t.cover] as const);
    const grams = query.grams.filter((t) => t.cover > 0).map((t) => [t.term, this.sentenceGrams.idf(t.term) * t.cover] as const);
    return {
      words,
      grams,
      wordTotal: words.reduce((n, [, w]) => n + w, 0),
      gramTotal: grams.reduce((n, [, w]) => n + w, 0),
    };
  }
}

/** The best documents of a group so far, best first. */
interface Top {
  docs: Int32Array;
  scores: Float64Array;
  size: number;
}

interface Weights {
  words: readonly (readonly [string, number])[];
  grams: readonly (readonly [string, number])[];
  wordTotal: number;
  gramTotal: number;
}

/** Shares of the query's coverage weight found in the sentence and in its clause. */
function coverage(
  terms: Weights['words'],
  total: number,
  sentence: Set<string>,
  clause: Set<string>,
): { sentence: number; clause: number } {
  if (total <= 0) return { sentence: 0, clause: 0 };
  let inClause = 0;
  let inSentence = 0;
  for (const [term, w] of terms) {
    if (sentence.has(term)) {
      inSentence += w;
      inClause += w;
    } else if (clause.has(term)) inClause += w;
  }
  return { sentence: inSentence / total, clause: inClause / total };
}

/** The sentences of a clause (table rows are sentences too), with their offsets in its quote. */
function sentences(clause: Clause): { start: number; end: number; text: string; norm: string }[] {
  const out: { start: number; end: number; text: string; norm: string }[] = [];
  let from = 0;
  for (let i = 0; i <= clause.norm.length; i++) {
    if (i < clause.norm.length && !SENTENCE_END.test(clause.norm[i] ?? '')) continue;
    const end = i < clause.norm.length ? i + 1 : i;
    const raw = clause.quote.slice(from, end);
    const text = raw.trim();
    // A table row of a form (no number in it) is layout, not something to quote.
    if (text.length > 1 && !(text.includes('\t') && !/\d{5,}/.test(text))) {
      const start = from + (raw.length - raw.trimStart().length);
      out.push({ start, end: start + text.length, text, norm: clause.norm.slice(start, start + text.length) });
    }
    from = end;
  }
  return out;
}
