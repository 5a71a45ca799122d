import type { QueryTerm } from './retrieval.js';

const K1 = 1.2;
const B = 0.75;

interface Posting {
  doc: number;
  tf: number;
}

/** Okapi BM25 over bags of tokens: add documents, seal, then score queries from the postings of their terms. */
export class Bm25 {
  private readonly postings = new Map<string, Posting[]>();
  private readonly lengths: number[] = [];
  private readonly tfs: Map<string, number>[] = [];
  private avg = 0;
  private readonly idfs = new Map<string, number>();
  private unknownIdf = 0;

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
    this.tfs.push(tf);
  }

  seal(): void {
    this.avg = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.lengths.length);
    const N = this.lengths.length;
    for (const [term, list] of this.postings) this.idfs.set(term, Math.log(1 + (N - list.length + 0.5) / (list.length + 0.5)));
    this.unknownIdf = Math.log(1 + (N + 0.5) / 0.5);
  }

  /** IDF of a term; a term no document has gets the highest (rarer than any that occurs). */
  idf(term: string): number {
    return this.idfs.get(term) ?? this.unknownIdf;
  }

  has(term: string): boolean {
    return this.postings.has(term);
  }

  get size(): number {
    return this.lengths.length;
  }

  private termScore(idf: number, tf: number, doc: number): number {
    const len = this.lengths[doc] ?? 0;
    return (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * len) / this.avg));
  }

  /** Add each document's score for the terms into `into` (indexed by document), times `factor`. */
  score(terms: readonly QueryTerm[], into: Float64Array, factor = 1): void {
    for (const { term, weight } of terms) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      for (const { doc, tf } of list) into[doc] = (into[doc] as number) + this.termScore(idf, tf, doc) * weight * factor;
    }
  }

  /** One document's score for the terms. */
  scoreOne(terms: readonly QueryTerm[], doc: number): number {
    const tfs = this.tfs[doc];
    if (!tfs) return 0;
    let s = 0;
    for (const { term, weight } of terms) {
      const tf = tfs.get(term);
      if (tf) s += this.termScore(this.idf(term), tf, doc) * weight;
    }
    return s;
  }
}
