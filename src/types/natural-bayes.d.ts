/** natural's BayesClassifier engine (from `apparatus`), used with sparse token observations. */
declare module 'natural/lib/natural/classifiers/bayes_classifier.js' {
  interface Engine {
    addExample(observation: Record<number, string>, label: string): void;
    getClassifications(observation: Record<number, string>): { label: string; value: number }[];
    /** Trained counts: per label, per feature (token), the smoothed count. */
    classFeatures: Record<string, Record<string, number>>;
    classTotals: Record<string, number>;
    totalExamples: number;
    smoothing: number;
  }
  export default class BayesClassifier {
    constructor();
    classifier: Engine;
  }
}
