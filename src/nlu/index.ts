import { type BuildCache, fileParts } from '../cache.js';
import { type ClassifierModel, IntentClassifier, type IntentScore } from './classifier.js';
import type { IntentDef, LanguageData } from './data.js';
import type { JiebaDictionaries } from './dictionary.js';
import { domainLexicon } from './domain.js';
import { type Entities, EntityExtractor } from './entities.js';
import { Normalizer } from './normalize.js';
import { PhraseFinder } from './phrases.js';
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

/** What the NLU derives from its language data through jieba. */
export interface NluModel {
  classifier: ClassifierModel;
  domain: string[];
  smalltalk: [string, string][];
  keywords: [string, string[]][];
}

/** Normalize → segment → classify → extract entities; built once from the language data. */
export class Nlu {
  readonly intents: ReadonlyMap<string, IntentDef>;
  private readonly normalizer: Normalizer;
  private readonly classifier: IntentClassifier;
  private readonly extractor: EntityExtractor;
  private readonly domain: Set<string>;
  private readonly morphemes: readonly string[];
  private domainTerms: PhraseFinder | null = null;
  /** Small-talk examples as said (greeting, thanks …), punctuation and spaces left out → their intent. */
  private readonly smalltalkExamples = new Map<string, string>();
  private readonly keywordCache = new Map<string, string[]>();

  /** `model`: what an Nlu on the same data and dictionaries derived (`model()`), instead of deriving it again. */
  constructor(data: LanguageData, dictionaries?: JiebaDictionaries, model?: NluModel) {
    loadSegmenter(data.userDict, dictionaries);
    this.normalizer = new Normalizer(data.synonyms);
    this.intents = new Map(data.intents.map((i) => [i.id, i]));
    this.extractor = new EntityExtractor(data.entities);
    this.morphemes = data.domain.morphemes;
    if (model) {
      this.classifier = new IntentClassifier(model.classifier);
      this.domain = new Set(model.domain);
      for (const [example, intent] of model.smalltalk) this.smalltalkExamples.set(example, intent);
      for (const [keyword, w] of model.keywords) this.keywordCache.set(keyword, w);
      return;
    }
    this.classifier = IntentClassifier.train(data.intents, (t) => words(this.normalizer.normalize(t).norm));
    this.domain = domainLexicon(data, (t) => words(this.normalizer.normalize(t).norm));
    for (const intent of data.intents)
      if (intent.kind === 'smalltalk')
        for (const e of intent.examples) this.smalltalkExamples.set(bare(this.normalizer.normalize(e).norm), intent.id);
    for (const intent of data.intents) for (const k of intent.keywords ?? []) this.keywordWords(k);
  }

  /**
   * The NLU for language data and jieba dictionaries. With a build cache, what it derives through jieba (the
   * classifier's model, the domain lexicon, the small-talk examples, the keywords' words) is read from it
   * while the data, the user dictionary, jieba's dictionaries and the code are those it was derived from.
   */
  static async load(data: LanguageData, dictionaries?: JiebaDictionaries, cache?: BuildCache): Promise<Nlu> {
    if (!cache) return new Nlu(data, dictionaries);
    const inputs = [JSON.stringify({ data, dictionaries }), ...(await fileParts([data.userDict]))];
    const model = await cache.get('nlu', inputs, () => new Nlu(data, dictionaries).model());
    return new Nlu(data, dictionaries, model);
  }

  /** What this NLU derived from its data through jieba (kept in the build cache). */
  model(): NluModel {
    return {
      classifier: this.classifier.model,
      domain: [...this.domain],
      smalltalk: [...this.smalltalkExamples],
      keywords: [...this.keywordCache],
    };
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
    this.domainTerms ??= new PhraseFinder([...this.domain].filter((t) => t.length >= 2));
    return this.domainTerms.find(norm).map((m) => m.phrase);
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
