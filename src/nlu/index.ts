import { escapeRe } from '../regex.js';
import { IntentClassifier, type IntentScore } from './classifier.js';
import type { IntentDef, LanguageData } from './data.js';
import type { JiebaDictionaries } from './dictionary.js';
import { domainLexicon } from './domain.js';
import { type Entities, EntityExtractor } from './entities.js';
import { Normalizer } from './normalize.js';
import { loadSegmenter, searchWords, tokens, words, wordsAndRuns } from './segment.js';

export type { IntentScore } from './classifier.js';
export type { HandoffReason, IntentDef, IntentKind, LanguageData } from './data.js';

/** What the NLU makes of one question. */
export interface Understanding {
  text: string;
  norm: string;
  script: 'simplified' | 'traditional';
  words: string[];
  searchWords: string[];
  /** Stretches of consecutive content words, place names and filler taken out (for character bigrams). */
  runs: string[][];
  /** Intents ranked, classified on the words other than those `understand` was told to leave out (place names). */
  intents: IntentScore[];
  entities: Entities;
  /** Words of the question that belong to the medical-insurance domain. */
  domainWords: string[];
}

/** Normalize → segment → classify → extract entities; built once from the language data. */
export class Nlu {
  readonly intents: ReadonlyMap<string, IntentDef>;
  private readonly normalizer: Normalizer;
  private readonly classifier: IntentClassifier;
  private readonly extractor: EntityExtractor;
  private readonly domain: Set<string>;
  private readonly morphemes: readonly string[];
  private domainRe: RegExp | null = null;
  /** Small-talk examples as said (greeting, thanks …), punctuation and spaces left out → their intent. */
  private readonly smalltalkExamples = new Map<string, string>();
  private readonly keywordCache = new Map<string, string[]>();

  constructor(data: LanguageData, dictionaries?: JiebaDictionaries) {
    loadSegmenter(data.userDict, dictionaries);
    this.normalizer = new Normalizer(data.synonyms);
    this.intents = new Map(data.intents.map((i) => [i.id, i]));
    this.classifier = new IntentClassifier(data.intents, (t) => words(this.normalizer.normalize(t).norm));
    this.extractor = new EntityExtractor(data.entities);
    this.domain = domainLexicon(data, (t) => words(this.normalizer.normalize(t).norm));
    this.morphemes = data.domain.morphemes;
    for (const intent of data.intents)
      if (intent.kind === 'smalltalk')
        for (const e of intent.examples) this.smalltalkExamples.set(bare(this.normalizer.normalize(e).norm), intent.id);
    for (const intent of data.intents) for (const k of intent.keywords ?? []) this.keywordWords(k);
  }

  /** `leaveOut`: words that say where rather than what (a city's name), left out of the topic classification. */
  understand(text: string, leaveOut?: (word: string) => boolean): Understanding {
    const { norm, script } = this.normalizer.normalize(text);
    const { words: w, runs } = wordsAndRuns(norm, leaveOut);
    const sw = searchWords(norm);
    return {
      text,
      norm,
      script,
      words: w,
      searchWords: sw,
      runs,
      domainWords: [...new Set([...w, ...sw].filter((x) => this.domain.has(x)).concat(this.domainTermsIn(norm)))],
      intents: this.classifier.classify(leaveOut ? w.filter((x) => !leaveOut(x)) : w),
      entities: this.extractor.extract(norm),
    };
  }

  /** The domain's terms of two characters or more standing in a normalized text, however it segments (产检 as 产/检). */
  private domainTermsIn(norm: string): string[] {
    if (!this.domainRe) {
      const terms = [...this.domain].filter((t) => t.length >= 2).sort((a, b) => b.length - a.length);
      this.domainRe = new RegExp(terms.map(escapeRe).join('|'), 'g');
    }
    return [...norm.matchAll(this.domainRe)].map((m) => m[0]);
  }

  /** A word of the domain: in the lexicon, or built on one of its morphemes (种植牙, 长护险). */
  isDomainWord(word: string): boolean {
    return this.domain.has(word) || this.morphemes.some((m) => word.includes(m));
  }

  /**
   * The small-talk intent a question is, word for word, an example of (你好, 谢谢): these are too short for
   * the classifier, whose words jieba's stop list may even take away.
   */
  smalltalk(norm: string): string | null {
    return this.smalltalkExamples.get(bare(norm)) ?? null;
  }

  /** The question in match form with synonyms rewritten, as `understand` sees it. */
  normalize(text: string): string {
    return this.normalizer.normalize(text).norm;
  }

  /** The words of a normalized text as jieba cuts it, nothing left out. */
  tokens(norm: string): readonly string[] {
    return tokens(norm);
  }

  /** Synonym rewriting of text already in match form (for indexing the notices' characters). */
  rewrite(norm: string): string {
    return this.normalizer.rewrite(norm);
  }

  /** Words of an intent keyword (segmented once, then remembered). */
  keywordWords(keyword: string): string[] {
    let w = this.keywordCache.get(keyword);
    if (!w) {
      w = this.indexWords(this.normalizer.normalize(keyword).norm);
      this.keywordCache.set(keyword, w);
    }
    return w;
  }

  /** Words of text already in match form, with the same synonym rewriting as questions get (for indexing the notices). */
  indexWords(norm: string): string[] {
    return searchWords(this.normalizer.rewrite(norm));
  }
}

function bare(norm: string): string {
  return norm.replace(/[\s\p{P}\p{S}]/gu, '');
}
