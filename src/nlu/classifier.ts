import type { IntentDef } from './data.js';

/** How many intents a classification keeps, best first. */
const TOP = 5;

export interface IntentScore {
  intent: string;
  /** Posterior probability, normalized over the intents. */
  p: number;
}

/**
 * natural's naive Bayes engine (apparatus's BayesClassifier, smoothing 1) as this service trains it: with
 * sparse observations, for which it counts each token of an example (its first sighting in a class counts
 * 1 + smoothing) and leaves the class and example totals at their initial 1. Counted here the same way
 * (a test trains both on the intents and compares every number), so natural — with the matrix library it
 * loads — stays out of start-up (issue 14).
 */
class BayesCounts {
  readonly smoothing = 1;
  readonly totalExamples = 1;
  /** Per class (in the order first seen), per token, the smoothed count. */
  readonly classFeatures = new Map<string, Map<string, number>>();

  addExample(tokens: readonly string[], label: string): void {
    let features = this.classFeatures.get(label);
    if (!features) {
      features = new Map();
      this.classFeatures.set(label, features);
    }
    for (const t of tokens) {
      const count = features.get(t);
      features.set(t, count ? count + 1 : 1 + this.smoothing);
    }
  }

  /** Every class's total: 1 (sparse observations never add to it). */
  classTotal(_label: string): number {
    return 1;
  }
}

/**
 * The topic classifier: natural's naive Bayes over jieba words. natural's wrapper turns each text into a
 * dense vector over the whole vocabulary (O(vocabulary) per question), so the model is trained through its
 * engine's counting with sparse observations, and questions are scored from the trained counts with the
 * log-probabilities of each word per intent computed once: O(words × intents) additions per question.
 * The posteriors are the engine's (prior × likelihood, normalized), computed in log space.
 */
/** A trained classifier's numbers: per intent, its log prior and the log likelihood of a word it never saw; per word, of each intent. */
export interface ClassifierModel {
  labels: string[];
  logPrior: Float64Array;
  logMissing: Float64Array;
  logLikelihood: Map<string, Float64Array>;
}

export class IntentClassifier {
  constructor(readonly model: Readonly<ClassifierModel>) {}

  /** Train on the intents' examples, cut into words by `tokenize`. */
  static train(intents: readonly IntentDef[], tokenize: (text: string) => string[]): IntentClassifier {
    const e = new BayesCounts();
    const vocabulary = new Set<string>();
    for (const intent of intents) {
      for (const example of intent.examples) {
        const tokens = tokenize(example);
        if (tokens.length === 0) continue;
        for (const t of tokens) vocabulary.add(t);
        e.addExample(tokens, intent.id);
      }
    }
    const labels = [...e.classFeatures.keys()];
    const logMissing = Float64Array.from(labels, (l) => Math.log(e.smoothing / e.classTotal(l)));
    const logLikelihood = new Map<string, Float64Array>();
    for (const token of vocabulary) {
      logLikelihood.set(
        token,
        Float64Array.from(labels, (l, i) => {
          const count = e.classFeatures.get(l)?.get(token);
          return count ? Math.log(count / e.classTotal(l)) : (logMissing[i] as number);
        }),
      );
    }
    return new IntentClassifier({
      labels,
      logPrior: Float64Array.from(labels, (l) => Math.log(e.classTotal(l) / e.totalExamples)),
      logMissing,
      logLikelihood,
    });
  }

  /** The best intents by posterior (at most five); empty when none of the words was seen in training. */
  classify(tokens: readonly string[]): IntentScore[] {
    const { labels, logPrior, logLikelihood } = this.model;
    // Each distinct known word's row added once, into a copy of the priors: no intermediate arrays (issue 14).
    let scores: Float64Array | null = null;
    for (let t = 0; t < tokens.length; t++) {
      const token = tokens[t] as string;
      if (tokens.indexOf(token) !== t) continue;
      const row = logLikelihood.get(token);
      if (!row) continue;
      scores ??= Float64Array.from(logPrior);
      for (let i = 0; i < scores.length; i++) scores[i] = (scores[i] as number) + (row[i] as number);
    }
    if (!scores) return [];
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < scores.length; i++) if ((scores[i] as number) > max) max = scores[i] as number;
    let total = 0;
    for (let i = 0; i < scores.length; i++) {
      scores[i] = Math.exp((scores[i] as number) - max);
      total += scores[i] as number;
    }
    // The few best only (the decision reads the top two, the explain trace three), picked without sorting
    // them all; a tie goes to the intent listed first, as a stable sort would give it.
    const best: number[] = [];
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i] as number;
      if (best.length === TOP && s <= (scores[best[TOP - 1] as number] as number)) continue;
      let at = Math.min(best.length, TOP - 1);
      if (best.length < TOP) best.push(i);
      while (at > 0 && (scores[best[at - 1] as number] as number) < s) {
        best[at] = best[at - 1] as number;
        at--;
      }
      best[at] = i;
    }
    return best.map((i) => ({ intent: labels[i] as string, p: (scores[i] as number) / total }));
  }
}
