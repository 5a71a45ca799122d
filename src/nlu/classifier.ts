import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier.js';
import type { IntentDef } from './data.js';

export interface IntentScore {
  intent: string;
  /** Posterior probability, normalized over the intents. */
  p: number;
}

/**
 * The topic classifier: natural's naive Bayes over jieba words. natural's wrapper turns each text into a
 * dense vector over the whole vocabulary (O(vocabulary) per question); its engine takes sparse
 * observations, which keeps a classification at O(words × intents).
 */
export class IntentClassifier {
  private readonly engine = new BayesClassifier().classifier;
  private readonly vocabulary = new Set<string>();

  constructor(intents: readonly IntentDef[], tokenize: (text: string) => string[]) {
    for (const intent of intents) {
      for (const example of intent.examples) {
        const tokens = tokenize(example);
        if (tokens.length === 0) continue;
        for (const t of tokens) this.vocabulary.add(t);
        this.engine.addExample({ ...tokens }, intent.id);
      }
    }
  }

  /** Intents ranked by posterior; empty when none of the words was seen in training. */
  classify(tokens: readonly string[]): IntentScore[] {
    const known = tokens.filter((t) => this.vocabulary.has(t));
    if (known.length === 0) return [];
    const ranked = this.engine.getClassifications({ ...known });
    const total = ranked.reduce((s, r) => s + r.value, 0);
    if (!(total > 0)) return [];
    return ranked.map((r) => ({ intent: r.label, p: r.value / total }));
  }

  /** Share of the words that the training data has seen. */
  coverage(tokens: readonly string[]): number {
    return tokens.length === 0 ? 0 : tokens.filter((t) => this.vocabulary.has(t)).length / tokens.length;
  }
}
