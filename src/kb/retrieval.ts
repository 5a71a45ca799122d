import type { Notice } from '../ingest/notice.js';
import type { Clause } from '../ingest/structure.js';
import { Accumulator, addPostings, Bm25, type Postings, walkPostings } from './bm25.js';
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
/** Below this many distinct sentences a query is always scored densely: a pass over them all costs less. */
const DENSE_BELOW = 2048;
const SENTENCE_END = /[。;!?\n]/;
/** A word character: Han, or a lower-case letter or digit (text in match form). */
const WORD_CHAR = /^[\p{Script=Han}a-z0-9]$/u;
/** Per UTF-16 code unit outside the surrogates: 0 not yet asked, 1 a word character, 2 not. Filled as met. */
const wordUnits = new Uint8Array(0x10000);

/** How many code units the word character at `i` takes (1, or 2 for one outside the BMP), or 0 for none. */
function wordCharAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
    const next = text.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return WORD_CHAR.test(text.slice(i, i + 2)) ? 2 : 0;
  }
  let known = wordUnits[code] as number;
  if (known === 0) {
    known = WORD_CHAR.test(text[i] as string) ? 1 : 2;
    wordUnits[code] = known;
  }
  return known === 1 ? 1 : 0;
}

/**
 * Character bigrams of the word-character runs of a text in match form (a run of one character is kept whole),
 * found by a scan over the text: this runs for every question and clause, and a regular expression's match
 * iterator allocated for each (issue 14).
 */
export function charGrams(norm: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < norm.length) {
    let step = wordCharAt(norm, i);
    if (step === 0) {
      i++;
      continue;
    }
    const start = i;
    while (step > 0) {
      i += step;
      step = i < norm.length ? wordCharAt(norm, i) : 0;
    }
    // Bigrams of UTF-16 code units, as the run's string slices them.
    if (i - start === 1) out.push(norm.slice(start, i));
    else for (let k = start; k + 1 < i; k++) out.push(norm.slice(k, k + 2));
  }
  return out;
}

/**
 * Sentence retrieval over the knowledge base: BM25 over words and over character bigrams, each on the
 * sentence and (at half weight) on its clause, so a sentence is found by its own words and by the topic of
 * the item it stands in. Built once per knowledge base; queries are pure.
 *
 * What a query costs is the length of its terms' postings, not the size of the knowledge base (issue 14):
 * scores are accumulated for the sentences a term touches only, and a clause whose text stands word for word
 * in several notices (a notice forwarded as it stands, a paragraph every city repeats) is indexed and scored
 * once, then handed out to each notice that holds it — by region, so a region filter costs a lookup.
 */
export class Retriever {
  private readonly sentenceWords = new Bm25();
  private readonly sentenceGrams = new Bm25();
  private readonly clauseWords = new Bm25();
  private readonly clauseGrams = new Bm25();
  /** Distinct clause texts, and for each distinct sentence its text's index and its place in it. */
  private readonly units: Unit[] = [];
  private readonly unitOf: number[] = [];
  private readonly localOf: number[] = [];
  /** The notices' clauses, each with its sentences; by clause id. */
  private readonly owners: Owner[] = [];
  private readonly byClause = new Map<string, Owner>();
  private readonly sentenceScores: Accumulator;
  private readonly clauseScores: Accumulator;
  private readonly marks: Uint8Array;
  /** A query's scored sentences and their scores (reused: queries are synchronous). */
  private readonly candidates: Int32Array;
  private readonly totals: Float64Array;
  private readonly weights = new WeakMap<Query, Weights>();
  /** The query scored last: hits read their coverage from its walk — over every notice, or one region's. */
  private ranked: Query | null = null;
  /** The region (its number) whose notices alone the last walk scored, or -1 for all. */
  private rankedRegion = -1;
  /**
   * Each word and bigram any notice uses, with its postings in the sentence and the clause indexes (and their
   * regional groups): a query term is looked up once, not once per index (issue 14).
   */
  private readonly wordRefs = new Map<string, TermRef>();
  private readonly gramRefs = new Map<string, TermRef>();
  /** Regions by name ('' for notices without one), numbered for the regional postings. */
  private readonly regionIds = new Map<string, number>();
  /** Each index's postings again, grouped by region: a question in a known place reads only its scopes' (issue 14). */
  private readonly regional: {
    sentenceWords: RegionIndex;
    sentenceGrams: RegionIndex;
    clauseWords: RegionIndex;
    clauseGrams: RegionIndex;
  } | null;
  /** A sentence's terms its clause's segmentation does not have (rare: jieba cuts a sentence alone otherwise). */
  private readonly extras: ({ words: Set<string>; grams: Set<string> } | null)[] = [];

  constructor(
    kb: KnowledgeBase,
    private readonly tokenize: (norm: string) => string[],
    private readonly rewrite: (norm: string) => string = (n) => n,
    /** How queries are scored: by the cheaper way for each (auto), or always one way (tests compare them). */
    private readonly scoring: 'auto' | 'dense' | 'sparse' = 'auto',
  ) {
    const unitByText = new Map<string, Unit>();
    for (const notice of kb.notices) {
      for (const clause of notice.clauses) {
        if (clause.kind === 'signature') continue;
        const headings = clause.headings.join(' ').replace(/\s+/g, ' ');
        const text = `${clause.quote}\u0001${headings}\u0001${clause.norm}`;
        let unit = unitByText.get(text);
        if (!unit) {
          unit = this.addUnit(clause, headings);
          unitByText.set(text, unit);
        }
        const owner: Owner = {
          unit,
          region: notice.meta.region ?? '',
          passages: unit.sentences.map((sid) => ({ notice, clause, ...(unit as Unit).shapes[this.localOf[sid] as number] }) as Passage),
        };
        this.owners.push(owner);
        unit.owners.push(owner);
        const region = notice.meta.region ?? '';
        const inRegion = unit.byRegion.get(region);
        if (inRegion) inRegion.push(owner);
        else unit.byRegion.set(region, [owner]);
        this.byClause.set(clause.id, owner);
      }
    }
    for (const index of [this.sentenceWords, this.sentenceGrams, this.clauseWords, this.clauseGrams]) index.seal();
    const unitRegions = this.units.map((u) =>
      [...u.byRegion.keys()].map((r) => {
        let id = this.regionIds.get(r);
        if (id === undefined) {
          id = this.regionIds.size;
          this.regionIds.set(r, id);
        }
        return id;
      }),
    );
    const ofSentence = (sid: number) => unitRegions[this.unitOf[sid] as number] as number[];
    const ofUnit = (u: number) => unitRegions[u] as number[];
    // A small knowledge base is scored in one dense pass, which costs less than walking regions apart (and
    // than building their postings at start); a large one, or one told to read only postings, by region.
    const regional = scoring === 'sparse' || (scoring === 'auto' && this.unitOf.length > DENSE_BELOW);
    refer(this.wordRefs, this.sentenceWords, this.clauseWords);
    refer(this.gramRefs, this.sentenceGrams, this.clauseGrams);
    // Each term's regional group goes on its entry, beside its postings.
    const into = (refs: Map<string, TermRef>, level: 'sentenceByRegion' | 'clauseByRegion') => (term: string, t: RegionTerm) => {
      (refs.get(term) as TermRef)[level] = t;
    };
    const count = this.regionIds.size;
    this.regional = regional
      ? {
          sentenceWords: byRegion(this.sentenceWords, count, ofSentence, into(this.wordRefs, 'sentenceByRegion')),
          sentenceGrams: byRegion(this.sentenceGrams, count, ofSentence, into(this.gramRefs, 'sentenceByRegion')),
          clauseWords: byRegion(this.clauseWords, count, ofUnit, into(this.wordRefs, 'clauseByRegion')),
          clauseGrams: byRegion(this.clauseGrams, count, ofUnit, into(this.gramRefs, 'clauseByRegion')),
        }
      : null;
    this.sentenceScores = new Accumulator(this.unitOf.length);
    this.clauseScores = new Accumulator(this.units.length);
    this.marks = new Uint8Array(this.unitOf.length);
    this.candidates = new Int32Array(this.unitOf.length);
    this.totals = new Float64Array(this.unitOf.length);
  }

  /** Index a distinct clause text: its words and bigrams, and each of its sentences'. */
  private addUnit(clause: Clause, headings: string): Unit {
    const { words: cWords, grams: cGrams } = this.termsOfClause(clause, headings);
    const index = this.units.length;
    this.clauseWords.add(cWords);
    this.clauseGrams.add(cGrams);
    const clauseWords = new Set(cWords);
    const clauseGrams = new Set(cGrams);
    const unit: Unit = { index, clause, headings, sentences: [], shapes: [], owners: [], byRegion: new Map() };
    for (const s of sentences(clause)) {
      const { words, grams } = this.termsOf(s.norm);
      const sid = this.unitOf.length;
      this.sentenceWords.add(words);
      this.sentenceGrams.add(grams);
      const wordSet = new Set(words);
      const gramSet = new Set(grams);
      const extraWords = new Set([...wordSet].filter((w) => !clauseWords.has(w)));
      const extraGrams = new Set([...gramSet].filter((g) => !clauseGrams.has(g)));
      this.extras.push(extraWords.size + extraGrams.size > 0 ? { words: extraWords, grams: extraGrams } : null);
      this.unitOf.push(index);
      this.localOf.push(unit.sentences.length);
      unit.sentences.push(sid);
      unit.shapes.push(s);
    }
    this.units.push(unit);
    return unit;
  }

  /** A sentence's words and bigrams, as indexed. */
  private termsOf(norm: string): { words: string[]; grams: string[] } {
    return { words: this.tokenize(norm), grams: charGrams(this.rewrite(norm)) };
  }

  /** A clause's words and bigrams (its text and its headings), as indexed. */
  private termsOfClause(clause: Clause, headings: string): { words: string[]; grams: string[] } {
    return {
      words: [...this.tokenize(clause.norm), ...this.tokenize(headings)],
      grams: [...charGrams(this.rewrite(clause.norm)), ...charGrams(this.rewrite(headings))],
    };
  }

  /** Inverse document frequency of a word over sentences (0 for a word no notice uses). */
  idf(term: string): number {
    return this.knows(term) ? this.sentenceWords.idf(term) : 0;
  }

  /** Whether any notice uses the word. */
  knows(term: string): boolean {
    return this.wordRefs.has(term);
  }

  /** Whether any notice uses the bigram. */
  knowsGram(gram: string): boolean {
    return this.gramRefs.has(gram);
  }

  /** The best sentences for the query over every notice, best first. */
  search(query: Query, limit = 5): Hit[] {
    const n = this.rank(query);
    const top = new Top(limit);
    for (let i = 0; i < n; i++) {
      const sid = this.candidates[i] as number;
      const score = this.totals[i] as number;
      if (top.admits(sid, score)) top.add(sid, score);
    }
    const out: Hit[] = [];
    for (let i = 0; i < top.size && out.length < limit; i++) {
      const sid = top.docs[i] as number;
      for (const owner of (this.units[this.unitOf[sid] as number] as Unit).owners) {
        if (out.length >= limit) break;
        out.push(this.hit(sid, owner.passages[this.localOf[sid] as number] as Passage, top.scores[i] as number, query));
      }
    }
    return out;
  }

  /**
   * The best sentences for the query in each region of `regions`, best first (a question is searched in its
   * district's city, its province and the national notices at once): from each region's own postings in a
   * large knowledge base, from one pass over every sentence in a small one.
   */
  searchRegions(query: Query, regions: readonly string[], limit = 5): Map<string, Hit[]> {
    if (!this.regional) return this.searchRegionsAtOnce(query, regions, limit);
    const out = new Map<string, Hit[]>();
    for (const region of new Set(regions)) {
      const id = this.regionIds.get(region);
      if (id === undefined) continue;
      // Only the region's postings are read: what a question in a known place costs is its scopes' notices,
      // however many other regions the knowledge base holds (issue 14).
      const n = this.rankIn(query, id);
      const top = new Top(limit);
      for (let i = 0; i < n; i++) {
        const sid = this.candidates[i] as number;
        const score = this.totals[i] as number;
        if (top.admits(sid, score)) top.add(sid, score);
      }
      if (top.size === 0) continue;
      out.set(region, this.regionHits(top, region, limit, query));
    }
    return out;
  }

  /** The hits of a region's best sentences: each sentence as the region's notices hold it, at most `limit`. */
  private regionHits(top: Top, region: string, limit: number, query: Query): Hit[] {
    const hits: Hit[] = [];
    for (let i = 0; i < top.size && hits.length < limit; i++) {
      const sid = top.docs[i] as number;
      for (const owner of (this.units[this.unitOf[sid] as number] as Unit).byRegion.get(region) ?? []) {
        if (hits.length >= limit) break;
        hits.push(this.hit(sid, owner.passages[this.localOf[sid] as number] as Passage, top.scores[i] as number, query));
      }
    }
    return hits;
  }

  /** `searchRegions` from one scoring of every sentence the query reaches, kept per region. */
  private searchRegionsAtOnce(query: Query, regions: readonly string[], limit: number): Map<string, Hit[]> {
    const n = this.rank(query);
    // Arrays, not a map: the loop over candidates runs per sentence reached, and iterating a map allocates.
    const named = [...new Set(regions)];
    const tops = named.map(() => new Top(limit));
    for (let i = 0; i < n; i++) {
      const sid = this.candidates[i] as number;
      const score = this.totals[i] as number;
      const byRegion = (this.units[this.unitOf[sid] as number] as Unit).byRegion;
      for (let r = 0; r < named.length; r++) {
        const top = tops[r] as Top;
        if (top.admits(sid, score) && byRegion.has(named[r] as string)) top.add(sid, score);
      }
    }
    const out = new Map<string, Hit[]>();
    for (let r = 0; r < named.length; r++) {
      const region = named[r] as string;
      const top = tops[r] as Top;
      if (top.size === 0) continue;
      out.set(region, this.regionHits(top, region, limit, query));
    }
    return out;
  }

  /**
   * Scores the distinct sentences the query's terms reach: the sentence's own plus half its clause's, into
   * `candidates` and `totals` (in the order first reached); returns how many. Only the postings of the
   * query's terms are read.
   */
  private rank(query: Query): number {
    const sentences = this.unitOf.length;
    let dense: boolean;
    if (this.scoring !== 'auto') dense = this.scoring === 'dense';
    else if (sentences <= DENSE_BELOW) dense = true;
    else {
      // Postings read against a pass over every sentence: a query whose terms reach most sentences (a term
      // every notice uses) is scored densely, which is then cheaper.
      const { wordRefs, gramRefs } = this.weigh(query);
      const volume =
        postingsRead(wordRefs, 'sentence') +
        postingsRead(gramRefs, 'sentence') +
        (postingsRead(wordRefs, 'clause') + postingsRead(gramRefs, 'clause')) * (sentences / Math.max(1, this.units.length));
      dense = volume * 4 >= sentences;
    }
    const sentence = this.sentenceScores;
    const clause = this.clauseScores;
    sentence.clear();
    clause.clear();
    if (dense) {
      sentence.dense();
      clause.dense();
    }
    const w = this.weigh(query);
    const track = !dense;
    const at = (refs: readonly (TermRef | undefined)[], level: 'sentence' | 'clause') => refs.map((r) => r?.[level]);
    walkPostings(at(w.wordRefs, 'sentence'), query.words, w.wordCover, sentence, 'words', 1, track);
    walkPostings(at(w.gramRefs, 'sentence'), query.grams, w.gramCover, sentence, 'grams', GRAM_WEIGHT, track);
    walkPostings(at(w.wordRefs, 'clause'), query.words, w.wordCover, clause, 'words', 1, track);
    walkPostings(at(w.gramRefs, 'clause'), query.grams, w.gramCover, clause, 'grams', GRAM_WEIGHT, track);
    this.ranked = query;
    this.rankedRegion = -1;
    return this.collect(dense);
  }

  /**
   * As `rank`, over the notices of one region only: reads that region's postings (a sparse walk), so the cost is
   * the region's, not the knowledge base's. A sentence's score and coverage are the same as `rank` gives it.
   */
  private rankIn(query: Query, region: number): number {
    const x = this.regional;
    if (!x) throw new Error('Retriever: no regional postings in a knowledge base scored at once');
    const sentence = this.sentenceScores;
    const clause = this.clauseScores;
    sentence.clear();
    clause.clear();
    // The query's terms were looked up once (weigh): each walk reads its level's regional group from the entry.
    const w = this.weigh(query);
    walkRegion(x.sentenceWords, w.wordRefs, 'sentenceByRegion', region, query.words, w.wordCover, sentence, 'words', 1);
    walkRegion(x.sentenceGrams, w.gramRefs, 'sentenceByRegion', region, query.grams, w.gramCover, sentence, 'grams', GRAM_WEIGHT);
    walkRegion(x.clauseWords, w.wordRefs, 'clauseByRegion', region, query.words, w.wordCover, clause, 'words', 1);
    walkRegion(x.clauseGrams, w.gramRefs, 'clauseByRegion', region, query.grams, w.gramCover, clause, 'grams', GRAM_WEIGHT);
    this.ranked = query;
    this.rankedRegion = region;
    return this.collect(false);
  }

  /** The sentences the walk just made scored, into `candidates` and `totals`; returns how many. */
  private collect(dense: boolean): number {
    const sentences = this.unitOf.length;
    const sentence = this.sentenceScores;
    const clause = this.clauseScores;
    const scores = sentence.scores;
    const clauseScores = clause.scores;
    const unitOf = this.unitOf;
    let n = 0;
    if (dense) {
      for (let sid = 0; sid < sentences; sid++) {
        const score = (scores[sid] as number) + CLAUSE_WEIGHT * (clauseScores[unitOf[sid] as number] as number);
        if (score > 0) {
          this.candidates[n] = sid;
          this.totals[n++] = score;
        }
      }
      return n;
    }
    // A sentence scores by its own words or by its clause's: the sentences touched, and every sentence of a
    // clause touched.
    const reached: number[] = [];
    for (const sid of sentence.touched) {
      this.marks[sid] = 1;
      reached.push(sid);
    }
    for (const u of clause.touched)
      for (const sid of (this.units[u] as Unit).sentences)
        if (this.marks[sid] === 0) {
          this.marks[sid] = 1;
          reached.push(sid);
        }
    for (const sid of reached) {
      this.marks[sid] = 0;
      const score = (scores[sid] as number) + CLAUSE_WEIGHT * (clauseScores[unitOf[sid] as number] as number);
      if (score > 0) {
        this.candidates[n] = sid;
        this.totals[n++] = score;
      }
    }
    return n;
  }

  /** All sentences of a clause as hits for the query, in text order. */
  sentencesOf(clauseId: string, query: Query): Hit[] {
    const owner = this.byClause.get(clauseId);
    if (!owner) return [];
    // The query ranked last (the answer being composed): its walk already added up every sentence's score
    // and coverage — over every notice, or over a region's, walked again for this clause's when another's was last.
    if (this.ranked === query) {
      const region = this.regionIds.get(owner.region) ?? -1;
      if (this.rankedRegion !== -1 && this.rankedRegion !== region && region !== -1) this.rankIn(query, region);
      if (this.rankedRegion === -1 || this.rankedRegion === region)
        return owner.unit.sentences.map((sid, i) =>
          this.hit(sid, owner.passages[i] as Passage, this.sentenceScores.scores[sid] as number, query),
        );
    }
    // Another query (a chip's clause, an agent's explain): its terms counted in the clause's and each sentence's
    // words and bigrams, cut again as they were indexed (the index keeps no per-sentence sets).
    const weights = this.weigh(query);
    const unit = owner.unit;
    const inClause = this.termsOfClause(unit.clause, unit.headings);
    const clauseWords = new Set(inClause.words);
    const clauseGrams = new Set(inClause.grams);
    return unit.shapes.map((shape, i) => {
      const terms = this.termsOf(shape.norm);
      const words = this.sentenceWords.scoreTokens(query.words, terms.words);
      const grams = this.sentenceGrams.scoreTokens(query.grams, terms.grams);
      const w = coverage(weights.words, weights.wordTotal, new Set(terms.words), clauseWords);
      const g = coverage(weights.grams, weights.gramTotal, new Set(terms.grams), clauseGrams);
      return {
        passage: owner.passages[i] as Passage,
        score: words + GRAM_WEIGHT * grams,
        wordCoverage: w.clause,
        gramCoverage: g.clause,
        sentenceCoverage: (w.sentence + g.sentence) / 2,
      };
    });
  }

  /**
   * A hit for a sentence the last `rank` scored: its coverage is what that walk added up — the sentence's
   * terms, and its clause's (with the sentence's own the clause's segmentation does not share).
   */
  private hit(sid: number, passage: Passage, score: number, query: Query): Hit {
    if (this.ranked !== query) throw new Error('Retriever: hit for a query not ranked last');
    const weights = this.weigh(query);
    const unit = this.unitOf[sid] as number;
    const share = (part: number, total: number) => (total > 0 ? part / total : 0);
    let clauseWords = this.clauseScores.words[unit] as number;
    let clauseGrams = this.clauseScores.grams[unit] as number;
    const extra = this.extras[sid];
    if (extra) {
      for (const [term, w] of weights.words) if (extra.words.has(term)) clauseWords += w;
      for (const [term, w] of weights.grams) if (extra.grams.has(term)) clauseGrams += w;
    }
    const sentenceWords = share(this.sentenceScores.words[sid] as number, weights.wordTotal);
    const sentenceGrams = share(this.sentenceScores.grams[sid] as number, weights.gramTotal);
    return {
      passage,
      score,
      wordCoverage: share(clauseWords, weights.wordTotal),
      gramCoverage: share(clauseGrams, weights.gramTotal),
      sentenceCoverage: (sentenceWords + sentenceGrams) / 2,
    };
  }

  /**
   * Each term's weight in coverage, worked out once per query: its IDF times its `cover`. A term no notice
   * uses counts at the highest IDF: a question about something the notices never mention is not covered by
   * the few words it shares with them.
   */
  private weigh(query: Query): Weights {
    const known = this.weights.get(query);
    if (known) return known;
    const wordRefs = query.words.map((t) => this.wordRefs.get(t.term));
    const gramRefs = query.grams.map((t) => this.gramRefs.get(t.term));
    const words = covered(query.words, wordRefs, this.sentenceWords);
    const grams = covered(query.grams, gramRefs, this.sentenceGrams);
    const weights = {
      wordRefs,
      gramRefs,
      words: words.terms,
      grams: grams.terms,
      wordCover: words.cover,
      gramCover: grams.cover,
      wordTotal: words.total,
      gramTotal: grams.total,
    };
    this.weights.set(query, weights);
    return weights;
  }
}

/** A distinct clause text: its sentences (ids and shapes), and the notices' clauses that hold it. */
interface Unit {
  index: number;
  /** The first clause that holds the text, and its headings as indexed. */
  clause: Clause;
  headings: string;
  sentences: number[];
  shapes: { start: number; end: number; text: string; norm: string }[];
  owners: Owner[];
  /** Its owners by their notice's region ('' for a notice without one), in knowledge-base order. */
  byRegion: Map<string, Owner[]>;
}

/** A notice's clause: the distinct text it holds, and its own passages (one per sentence of that text). */
interface Owner {
  unit: Unit;
  /** Its notice's region ('' for none). */
  region: string;
  passages: Passage[];
}

/**
 * The best documents so far, best first; a tie goes to the one added first. Candidates arrive in the order
 * they were reached, so a tie is broken by document number, as the knowledge base orders them.
 */
class Top {
  readonly docs: Int32Array;
  readonly scores: Float64Array;
  size = 0;

  constructor(private readonly limit: number) {
    this.docs = new Int32Array(limit);
    this.scores = new Float64Array(limit);
  }

  admits(doc: number, score: number): boolean {
    if (this.size < this.limit) return true;
    const last = this.scores[this.limit - 1] as number;
    return score > last || (score === last && doc < (this.docs[this.limit - 1] as number));
  }

  add(doc: number, score: number): void {
    let i = this.size < this.limit ? this.size++ : this.limit - 1;
    while (
      i > 0 &&
      ((this.scores[i - 1] as number) < score || ((this.scores[i - 1] as number) === score && (this.docs[i - 1] as number) > doc))
    ) {
      this.docs[i] = this.docs[i - 1] as number;
      this.scores[i] = this.scores[i - 1] as number;
      i--;
    }
    this.docs[i] = doc;
    this.scores[i] = score;
  }
}

interface Weights {
  /** Each query word's and bigram's entry (undefined: no notice uses it), in the query's order. */
  wordRefs: (TermRef | undefined)[];
  gramRefs: (TermRef | undefined)[];
  words: readonly (readonly [string, number])[];
  grams: readonly (readonly [string, number])[];
  /** Each query word's coverage weight, in the query's order (0 for a word of cover 0). */
  wordCover: readonly number[];
  gramCover: readonly number[];
  wordTotal: number;
  gramTotal: number;
}

/**
 * An index's postings again, grouped by region, in flat arrays (few objects: a knowledge base has tens of
 * thousands of terms): a term's groups are `from` to `to` (its `RegionTerm`, kept on its entry); group k holds region `regions[k]`'s documents
 * (ascending) and their weights, `docs` and `weights` from `start[k]` to `start[k + 1]`. A document of several
 * regions (a clause text in notices of several) is in each one's group.
 */
interface RegionIndex {
  regions: Int32Array;
  start: Int32Array;
  docs: Int32Array;
  weights: Float64Array;
}

interface RegionTerm {
  idf: number;
  from: number;
  to: number;
}

/** An index's postings grouped by the regions (numbered below `regionCount`) of each document; each term's groups to `found`. */
function byRegion(
  index: Bm25,
  regionCount: number,
  regionsOf: (doc: number) => readonly number[],
  found: (term: string, groups: RegionTerm) => void,
): RegionIndex {
  const regions: number[] = [];
  const start: number[] = [];
  const docs: number[] = [];
  const weights: number[] = [];
  // Scratch per region, reused from term to term: how many documents, then where the next one goes.
  const counts = new Int32Array(regionCount);
  const at = new Int32Array(regionCount);
  for (const [term, p] of index.entries()) {
    // Two passes, no sort of the postings: each region's count, then each document into its regions' places (in
    // ascending order, as the postings give them).
    const seen: number[] = [];
    for (let i = 0; i < p.docs.length; i++)
      for (const r of regionsOf(p.docs[i] as number)) {
        if (counts[r] === 0) seen.push(r);
        counts[r] = (counts[r] as number) + 1;
      }
    seen.sort((a, b) => a - b);
    const from = regions.length;
    let end = docs.length;
    for (const r of seen) {
      regions.push(r);
      start.push(end);
      at[r] = end;
      end += counts[r] as number;
      counts[r] = 0;
    }
    docs.length = end;
    weights.length = end;
    for (let i = 0; i < p.docs.length; i++) {
      const doc = p.docs[i] as number;
      for (const r of regionsOf(doc)) {
        const j = at[r] as number;
        docs[j] = doc;
        weights[j] = p.weights[i] as number;
        at[r] = j + 1;
      }
    }
    found(term, { idf: p.idf, from, to: regions.length });
  }
  start.push(docs.length);
  return {
    regions: Int32Array.from(regions),
    start: Int32Array.from(start),
    docs: Int32Array.from(docs),
    weights: Float64Array.from(weights),
  };
}

/**
 * `walkPostings` over one region's group of each term's postings (`refs[t]`: term t's entry, looked up once per
 * query; its `level` group in `index`). A sparse walk: the documents touched are kept.
 */
function walkRegion(
  index: RegionIndex,
  refs: readonly (TermRef | undefined)[],
  level: 'sentenceByRegion' | 'clauseByRegion',
  region: number,
  terms: readonly QueryTerm[],
  cover: readonly number[],
  into: Accumulator,
  channel: 'words' | 'grams',
  factor: number,
): void {
  const { regions, start, docs, weights } = index;
  for (let t = 0; t < terms.length; t++) {
    const p = refs[t]?.[level];
    if (!p) continue;
    const k = bisect(regions, p.from, p.to, region);
    if (k < 0) continue;
    const w = p.idf * (terms[t] as QueryTerm).weight * factor;
    addPostings(docs, weights, start[k] as number, start[k + 1] as number, w, cover[t] as number, into, channel, true);
  }
}

/** Where `value` is in `sorted` between `from` and `to` (exclusive), or -1. */
function bisect(sorted: Int32Array, from: number, to: number, value: number): number {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid] as number;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Each term's coverage weight (IDF × cover), the terms that have one, and their sum: in one pass. */
function covered(
  terms: readonly QueryTerm[],
  refs: readonly (TermRef | undefined)[],
  index: Bm25,
): { cover: number[]; terms: (readonly [string, number])[]; total: number } {
  const cover: number[] = new Array(terms.length);
  const kept: (readonly [string, number])[] = [];
  let total = 0;
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i] as QueryTerm;
    // The sentence index's IDF; a term only clauses have, or none, is rarer than any it has.
    const w = t.cover > 0 ? (refs[i]?.sentence?.idf ?? index.idf(t.term)) * t.cover : 0;
    cover[i] = w;
    if (t.cover > 0) {
      kept.push([t.term, w]);
      total += w;
    }
  }
  return { cover, terms: kept, total };
}

/** A word's or bigram's postings in each index that has it. */
interface TermRef {
  sentence: Postings | undefined;
  clause: Postings | undefined;
  sentenceByRegion: RegionTerm | undefined;
  clauseByRegion: RegionTerm | undefined;
}

/** Every term of the sentence and clause indexes into `refs`, with its postings in each (regional groups come later). */
function refer(refs: Map<string, TermRef>, sentence: Bm25, clause: Bm25): void {
  const ref = (term: string) => {
    let r = refs.get(term);
    if (!r) {
      // Every field there from the start: one shape for all, which the walks read fast.
      r = { sentence: undefined, clause: undefined, sentenceByRegion: undefined, clauseByRegion: undefined };
      refs.set(term, r);
    }
    return r;
  };
  for (const [term, p] of sentence.entries()) ref(term).sentence = p;
  for (const [term, p] of clause.entries()) ref(term).clause = p;
}

/** How many postings of one level the terms have: what a walk would read. */
function postingsRead(refs: readonly (TermRef | undefined)[], level: 'sentence' | 'clause'): number {
  let n = 0;
  for (const r of refs) n += r?.[level]?.docs.length ?? 0;
  return n;
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
