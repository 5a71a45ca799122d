import type { QueryTerm } from './retrieval.js';

const K1 = 1.2;
const B = 0.75;

/** A term's documents and, for each, its BM25 weight before IDF: tf·(k1+1) / (tf + k1·(1−b+b·len/avg)). */
export interface Postings {
  docs: Int32Array;
  weights: Float64Array;
  idf: number;
}

/**
 * What a query adds up per document: its score, and the coverage weight of the query's words and of its
 * bigrams the document holds. Reused from query to query. A sparse walk remembers the documents it touched
 * (a query's cost is then the length of its terms' postings, issue 14) and `clear` resets only those; a dense
 * one may touch any, and `clear` zeroes all.
 */
export class Accumulator {
  readonly scores: Float64Array;
  readonly words: Float64Array;
  readonly grams: Float64Array;
  readonly touched: number[] = [];
  private readonly seen: Uint8Array;
  private full = false;

  constructor(size: number) {
    this.scores = new Float64Array(size);
    this.words = new Float64Array(size);
    this.grams = new Float64Array(size);
    this.seen = new Uint8Array(size);
  }

  /** Marks a document touched (sparse walks): true the first time. */
  touch(doc: number): void {
    if (this.seen[doc] === 0) {
      this.seen[doc] = 1;
      this.touched.push(doc);
    }
  }

  /** The next walk may touch any document. */
  dense(): void {
    this.full = true;
  }

  clear(): void {
    if (this.full) {
      this.scores.fill(0);
      this.words.fill(0);
      this.grams.fill(0);
      this.full = false;
    }
    for (const doc of this.touched) {
      this.scores[doc] = 0;
      this.words[doc] = 0;
      this.grams[doc] = 0;
      this.seen[doc] = 0;
    }
    this.touched.length = 0;
  }
}

/**
 * One walk over the terms' postings (`postings[i]`: term i's, looked up, or undefined for a term the index does
 * not have): each document's score into `into.scores` (times `factor`), and the term's coverage weight `cover[i]`
 * into `into.words` or `into.grams` for each document that holds term i. `track`: remember the documents touched
 * (a sparse walk).
 */
export function walkPostings(
  postings: readonly (Postings | undefined)[],
  terms: readonly QueryTerm[],
  cover: readonly number[],
  into: Accumulator,
  channel: 'words' | 'grams',
  factor: number,
  track: boolean,
): void {
  for (let t = 0; t < terms.length; t++) {
    const p = postings[t];
    if (!p) continue;
    const w = p.idf * (terms[t] as QueryTerm).weight * factor;
    addPostings(p.docs, p.weights, 0, p.docs.length, w, cover[t] as number, into, channel, track);
  }
}

/**
 * One term's postings from `from` to `to` (exclusive) into `into`: each document's weight times `w` into its score,
 * and `c`, the term's coverage weight, into its `channel` sum. `track`: remember the documents touched.
 */
export function addPostings(
  docs: Int32Array,
  weights: Float64Array,
  from: number,
  to: number,
  w: number,
  c: number,
  into: Accumulator,
  channel: 'words' | 'grams',
  track: boolean,
): void {
  const scores = into.scores;
  const covered = into[channel];
  for (let i = from; i < to; i++) {
    const doc = docs[i] as number;
    if (track) into.touch(doc);
    scores[doc] = (scores[doc] as number) + (weights[i] as number) * w;
    if (c !== 0) covered[doc] = (covered[doc] as number) + c;
  }
}

/** Okapi BM25 over bags of tokens: add documents, seal, then score queries from the postings of their terms. */
export class Bm25 {
  private building: Map<string, { docs: number[]; tfs: number[] }> | null = new Map();
  private readonly postings = new Map<string, Postings>();
  private readonly lengths: number[] = [];
  private unknownIdf = 0;
  private avg = 0;

  add(tokens: readonly string[]): void {
    const building = this.building;
    if (!building) throw new Error('Bm25: add after seal');
    const doc = this.lengths.length;
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [term, n] of tf) {
      let list = building.get(term);
      if (!list) {
        list = { docs: [], tfs: [] };
        building.set(term, list);
      }
      list.docs.push(doc);
      list.tfs.push(n);
    }
    this.lengths.push(tokens.length);
  }

  /** Ends adding: IDF and each posting's weight are worked out once here, not per query. */
  seal(): void {
    const N = this.lengths.length;
    const avg = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, N);
    this.avg = avg;
    for (const [term, { docs, tfs }] of this.building ?? []) {
      const weights = new Float64Array(docs.length);
      for (let i = 0; i < docs.length; i++) {
        const tf = tfs[i] as number;
        const len = this.lengths[docs[i] as number] as number;
        weights[i] = (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * len) / avg));
      }
      const idf = Math.log(1 + (N - docs.length + 0.5) / (docs.length + 0.5));
      this.postings.set(term, { docs: Int32Array.from(docs), weights, idf });
    }
    this.building = null;
    this.unknownIdf = Math.log(1 + (N + 0.5) / 0.5);
  }

  /** IDF of a term; a term no document has gets the highest (rarer than any that occurs). */
  idf(term: string): number {
    return this.postings.get(term)?.idf ?? this.unknownIdf;
  }

  get size(): number {
    return this.lengths.length;
  }

  /** Every term and its postings (for indexes over a part of the documents with the same weights). */
  entries(): IterableIterator<[string, Postings]> {
    return this.postings.entries();
  }

  /**
   * A document's score for the terms, from its tokens as they were added (cut again: the index keeps no
   * per-document counts, which cost more memory than the postings at thousands of notices).
   */
  scoreTokens(terms: readonly QueryTerm[], tokens: readonly string[]): number {
    // Its length is its token count, as when it was added.
    const len = tokens.length;
    const tfs = new Map<string, number>();
    for (const t of tokens) tfs.set(t, (tfs.get(t) ?? 0) + 1);
    const avg = this.avg;
    let s = 0;
    for (const { term, weight } of terms) {
      const tf = tfs.get(term);
      if (tf) s += ((this.idf(term) * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * len) / avg))) * weight;
    }
    return s;
  }
}
