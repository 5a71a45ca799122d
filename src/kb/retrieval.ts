import type { Notice } from '../ingest/notice.js';
import type { Clause } from '../ingest/structure.js';
import type { KnowledgeBase } from './knowledge-base.js';

/** A sentence of a clause: the unit an answer quotes. */
export interface Passage {
  notice: Notice;
  clause: Clause;
  /** Offsets of the sentence in the clause's quote. */
  start: number;
  end: number;
  text: string;
  norm: string;
}

export interface Hit {
  passage: Passage;
  score: number;
  /** Share of the question's own terms' weight (IDF; expansion terms aside) that the passage or its clause contains. */
  coverage: number;
  /** Query terms found in the passage or its clause. */
  matched: string[];
  /** Share of the question's own terms' weight that the sentence itself contains. */
  sentenceCoverage: number;
}

/** A query term; weight 1 for the question's own words, less for expansions (intent keywords). */
export interface QueryTerm {
  term: string;
  weight: number;
}

const K1 = 1.2;
const B = 0.75;
/** How much the whole clause counts next to the sentence itself. */
const CLAUSE_WEIGHT = 0.5;
const SENTENCE_END = /[。;!?\n]/;

interface Posting {
  doc: number;
  tf: number;
}

/** Okapi BM25 over bags of words. */
class Bm25 {
  private readonly postings = new Map<string, Posting[]>();
  private readonly lengths: number[] = [];
  private avg = 0;
  private readonly idfs = new Map<string, number>();

  add(tokens: readonly string[]): void {
    const doc = this.lengths.length;
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [term, n] of tf) {
      let list = this.postings.get(term);
      if (!list) {
        list = [];
        this.postings.set(term, list);
      }
      list.push({ doc, tf: n });
    }
    this.lengths.push(tokens.length);
  }

  seal(): void {
    this.avg = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.lengths.length);
    const N = this.lengths.length;
    for (const [term, list] of this.postings) this.idfs.set(term, Math.log(1 + (N - list.length + 0.5) / (list.length + 0.5)));
  }

  idf(term: string): number {
    return this.idfs.get(term) ?? Math.log(1 + (this.lengths.length + 0.5) / 0.5);
  }

  has(term: string): boolean {
    return this.postings.has(term);
  }

  get size(): number {
    return this.lengths.length;
  }

  /** Add each document's score for the terms into `into` (indexed by document). */
  score(terms: readonly QueryTerm[], into: Float64Array, factor = 1): void {
    for (const { term, weight } of terms) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      for (const { doc, tf } of list) {
        const len = this.lengths[doc] ?? 0;
        const s = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * len) / this.avg));
        into[doc] = (into[doc] as number) + s * weight * factor;
      }
    }
  }
}

/**
 * Sentence retrieval over the knowledge base: BM25 on each sentence plus half its clause's BM25, so a
 * sentence is found by its own words and by the topic of the item it stands in. Built once per
 * knowledge base; queries are pure.
 */
export class Retriever {
  readonly passages: Passage[] = [];
  private readonly sentences = new Bm25();
  private readonly clauses = new Bm25();
  private readonly clauseOf: number[] = [];
  private readonly clauseTokens: Set<string>[] = [];
  private readonly passageTokens: Set<string>[] = [];

  constructor(kb: KnowledgeBase, tokenize: (norm: string) => string[]) {
    for (const notice of kb.notices) {
      for (const clause of notice.clauses) {
        if (clause.kind === 'signature') continue;
        const headingTokens = tokenize(clause.headings.join(' ').replace(/\s+/g, ' '));
        const cTokens = tokenize(clause.norm);
        const clauseIndex = this.clauseTokens.length;
        this.clauses.add([...cTokens, ...headingTokens]);
        this.clauseTokens.push(new Set([...cTokens, ...headingTokens]));
        let from = 0;
        for (let i = 0; i <= clause.norm.length; i++) {
          if (i < clause.norm.length && !SENTENCE_END.test(clause.norm[i] ?? '')) continue;
          const end = i < clause.norm.length ? i + 1 : i;
          const text = clause.quote.slice(from, end).trim();
          // A table row of a form (no number in it) is layout, not something to quote.
          if (text.length > 1 && !(text.includes('\t') && !/\d{5,}/.test(text))) {
            const lead = clause.quote.slice(from, end).length - clause.quote.slice(from, end).trimStart().length;
            const start = from + lead;
            const norm = clause.norm.slice(start, start + text.length);
            const tokens = tokenize(norm);
            this.passages.push({ notice, clause, start, end: start + text.length, text, norm });
            this.sentences.add(tokens);
            this.passageTokens.push(new Set(tokens));
            this.clauseOf.push(clauseIndex);
          }
          from = end;
        }
      }
    }
    this.sentences.seal();
    this.clauses.seal();
    this.sentenceScores = new Float64Array(this.sentences.size);
    this.clauseScores = new Float64Array(this.clauses.size);
  }

  /** Score buffers, reused by every query (queries are synchronous). */
  private sentenceScores = new Float64Array(0);
  private clauseScores = new Float64Array(0);

  /** Inverse document frequency of a term over sentences (0 for an unknown term). */
  idf(term: string): number {
    return this.sentences.has(term) || this.clauses.has(term) ? this.sentences.idf(term) : 0;
  }

  knows(term: string): boolean {
    return this.sentences.has(term) || this.clauses.has(term);
  }

  /** The best sentences for the query among the notices `filter` accepts, best first. */
  search(terms: readonly QueryTerm[], filter: (n: Notice) => boolean, limit = 5): Hit[] {
    const sentence = this.sentenceScores.fill(0);
    const clause = this.clauseScores.fill(0);
    this.sentences.score(terms, sentence);
    this.clauses.score(terms, clause);
    const top: { doc: number; score: number }[] = [];
    for (let doc = 0; doc < this.passages.length; doc++) {
      const score = (sentence[doc] as number) + CLAUSE_WEIGHT * (clause[this.clauseOf[doc] as number] as number);
      if (score <= 0 || (top.length === limit && score <= (top[limit - 1] as { score: number }).score)) continue;
      if (!filter((this.passages[doc] as Passage).notice)) continue;
      let i = top.length < limit ? top.length : limit - 1;
      top[i] = { doc, score };
      while (i > 0 && (top[i - 1] as { score: number }).score < score) {
        top[i] = top[i - 1] as { doc: number; score: number };
        top[--i] = { doc, score };
      }
    }
    return top.map(({ doc, score }) => this.hit(doc, score, terms));
  }

  /** All sentences of a clause as hits for the query, in text order. */
  sentencesOf(clauseId: string, terms: readonly QueryTerm[]): Hit[] {
    const sentence = this.sentenceScores.fill(0);
    this.sentences.score(terms, sentence);
    const out: Hit[] = [];
    for (let d = 0; d < this.passages.length; d++) {
      if (this.passages[d]?.clause.id === clauseId) out.push(this.hit(d, sentence[d] as number, terms));
    }
    return out;
  }

  private hit(doc: number, score: number, terms: readonly QueryTerm[]): Hit {
    const ptoks = this.passageTokens[doc] as Set<string>;
    const ctoks = this.clauseTokens[this.clauseOf[doc] as number] as Set<string>;
    const matched: string[] = [];
    let total = 0;
    let inClause = 0;
    let inSentence = 0;
    for (const t of terms) {
      const inP = ptoks.has(t.term);
      const found = inP || ctoks.has(t.term);
      if (found) matched.push(t.term);
      if (t.weight < 1) continue;
      const idf = this.idf(t.term);
      total += idf;
      if (found) inClause += idf;
      if (inP) inSentence += idf;
    }
    return {
      passage: this.passages[doc] as Passage,
      score,
      coverage: total > 0 ? inClause / total : 0,
      sentenceCoverage: total > 0 ? inSentence / total : 0,
      matched,
    };
  }
}
