import { IntentClassifier, type IntentScore } from './classifier.js';
import type { IntentDef, LanguageData } from './data.js';
import type { JiebaDictionaries } from './dictionary.js';
import { domainLexicon } from './domain.js';
import { type Entities, EntityExtractor } from './entities.js';
import { Normalizer } from './normalize.js';
import { loadSegmenter, searchWords, words } from './segment.js';

export type { IntentScore } from './classifier.js';
export type { HandoffReason, IntentDef, IntentKind, LanguageData } from './data.js';

/** What the NLU makes of one question. */
export interface Understanding {
  text: string;
  norm: string;
  script: 'simplified' | 'traditional';
  words: string[];
  searchWords: string[];
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
  private readonly keywordCache = new Map<string, string[]>();

  constructor(data: LanguageData, dictionaries?: JiebaDictionaries) {
    loadSegmenter(data.userDict, dictionaries);
    this.normalizer = new Normalizer(data.synonyms);
    this.intents = new Map(data.intents.map((i) => [i.id, i]));
    this.classifier = new IntentClassifier(data.intents, (t) => words(this.normalizer.normalize(t).norm));
    this.extractor = new EntityExtractor(data.entities);
    this.domain = domainLexicon(data, (t) => words(this.normalizer.normalize(t).norm));
    for (const intent of data.intents) for (const k of intent.keywords ?? []) this.keywordWords(k);
  }

  /** `leaveOut`: words that say where rather than what (a city's name), left out of the topic classification. */
  understand(text: string, leaveOut?: (word: string) => boolean): Understanding {
    const { norm, script } = this.normalizer.normalize(text);
    const w = words(norm);
    const sw = searchWords(norm);
    return {
      text,
      norm,
      script,
      words: w,
      searchWords: sw,
      domainWords: [...new Set([...w, ...sw].filter((x) => this.domain.has(x)))],
      intents: this.classifier.classify(leaveOut ? w.filter((x) => !leaveOut(x)) : w),
      entities: this.extractor.extract(norm),
    };
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
