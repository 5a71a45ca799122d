import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier.js';
import type { IntentDef } from './data.js';

/** How many intents a classification keeps, best first. */
const TOP = 5;

export interface IntentScore {
  intent: string;
  /** Posterior probability, normalized over the intents. */
  p: number;
}

/**
 * The topic classifier: natural's naive Bayes over jieba words. natural's wrapper turns each text into a
 * dense vector over the whole vocabulary (O(vocabulary) per question), so the model is trained through its
 * engine with sparse observations, and questions are scored from the engine's trained counts with the
 * log-probabilities of each word per intent computed once: O(words × intents) additions per question.
 * The posteriors are the engine's (prior × likelihood, normalized), computed in log space.
 */
export class IntentClassifier {
  private readonly engine = new BayesClassifier().classifier;
  private readonly vocabulary = new Set<string>();
  private labels: string[] = [];
  private logPrior = new Float64Array(0);
  private readonly logLikelihood = new Map<string, Float64Array>();
  private logMissing = new Float64Array(0);

  constructor(intents: readonly IntentDef[], tokenize: (text: string) => string[]) {
    for (const intent of intents) {
      for (const example of intent.examples) {
        const tokens = tokenize(example);
        if (tokens.length === 0) continue;
        for (const t of tokens) this.vocabulary.add(t);
        this.engine.addExample({ ...tokens }, intent.id);
      }
    }
    const e = this.engine;
    this.labels = Object.keys(e.classFeatures);
    this.logPrior = Float64Array.from(this.labels, (l) => Math.log((e.classTotals[l] ?? 1) / e.totalExamples));
    this.logMissing = Float64Array.from(this.labels, (l) => Math.log(e.smoothing / (e.classTotals[l] ?? 1)));
    for (const token of this.vocabulary) {
      this.logLikelihood.set(
        token,
        Float64Array.from(this.labels, (l, i) => {
          const count = e.classFeatures[l]?.[token];
          return count ? Math.log(count / (e.classTotals[l] ?? 1)) : (this.logMissing[i] as number);
        }),
      );
    }
  }

  /** The best intents by posterior (at most five); empty when none of the words was seen in training. */
  classify(tokens: readonly string[]): IntentScore[] {
    const known = [...new Set(tokens)].map((t) => this.logLikelihood.get(t)).filter((x): x is Float64Array => x !== undefined);
    if (known.length === 0) return [];
    const scores = Float64Array.from(this.logPrior);
    for (const row of known) for (let i = 0; i < scores.length; i++) scores[i] = (scores[i] as number) + (row[i] as number);
    const max = Math.max(...scores);
    let total = 0;
    for (let i = 0; i < scores.length; i++) {
      scores[i] = Math.exp((scores[i] as number) - max);
      total += scores[i] as number;
    }
    // The few best only: the decision reads the top two, the explain trace three.
    const order = Array.from(scores.keys()).sort((a, b) => (scores[b] as number) - (scores[a] as number));
    return order.slice(0, TOP).map((i) => ({ intent: this.labels[i] as string, p: (scores[i] as number) / total }));
  }
}
