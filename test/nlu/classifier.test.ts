import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier.js';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { IntentClassifier } from '../../src/nlu/classifier.js';
import { slimDictionaries } from '../../src/nlu/dictionary.js';
import { Nlu } from '../../src/nlu/index.js';
import { loadLanguageData } from '../../src/nlu/load.js';
import { words } from '../../src/nlu/segment.js';

const config = loadConfig({});

/** The model as it was built through natural's engine before issue 14, number for number. */
function naturalModel(intents: Parameters<typeof IntentClassifier.train>[0], tokenize: (t: string) => string[]) {
  const e = new BayesClassifier().classifier;
  const vocabulary = new Set<string>();
  for (const intent of intents)
    for (const example of intent.examples) {
      const tokens = tokenize(example);
      if (tokens.length === 0) continue;
      for (const t of tokens) vocabulary.add(t);
      e.addExample({ ...tokens }, intent.id);
    }
  const labels = Object.keys(e.classFeatures);
  const logMissing = Float64Array.from(labels, (l) => Math.log(e.smoothing / (e.classTotals[l] ?? 1)));
  return {
    labels,
    logPrior: Float64Array.from(labels, (l) => Math.log((e.classTotals[l] ?? 1) / e.totalExamples)),
    logMissing,
    logLikelihood: new Map(
      [...vocabulary].map((token) => [
        token,
        Float64Array.from(labels, (l, i) => {
          const count = e.classFeatures[l]?.[token];
          return count ? Math.log(count / (e.classTotals[l] ?? 1)) : (logMissing[i] as number);
        }),
      ]),
    ),
  };
}

describe('IntentClassifier', () => {
  it('trains the very model natural’s naive Bayes engine trained, number for number (issue 14)', async () => {
    const data = await loadLanguageData(config.intentsDir);
    const nlu = new Nlu(data, await slimDictionaries(`${config.dataDir}/cache`, config.jiebaMinFrequency));
    const tokenize = (t: string) => words(nlu.normalize(t));
    const ours = IntentClassifier.train(data.intents, tokenize);
    const theirs = naturalModel(data.intents, tokenize);
    expect(ours.model.labels).toEqual(theirs.labels);
    expect(ours.model.logPrior).toEqual(theirs.logPrior);
    expect(ours.model.logMissing).toEqual(theirs.logMissing);
    expect(ours.model.logLikelihood).toEqual(theirs.logLikelihood);
    expect(ours.model.logLikelihood.size).toBeGreaterThan(500);
  });

  it('ranks the five best intents as a full sort of the posteriors would, ties to the intent listed first', async () => {
    const data = await loadLanguageData(config.intentsDir);
    const nlu = new Nlu(data, await slimDictionaries(`${config.dataDir}/cache`, config.jiebaMinFrequency));
    const tokenize = (t: string) => words(nlu.normalize(t));
    const classifier = IntentClassifier.train(data.intents, tokenize);
    const { labels, logPrior, logLikelihood } = classifier.model;
    /** The plain way: every intent's posterior, sorted (stable), the first five. */
    const reference = (tokens: readonly string[]) => {
      const rows = [...new Set(tokens)].flatMap((t) => logLikelihood.get(t) ?? []);
      if (rows.length === 0) return [];
      const logs = labels.map((_, i) => rows.reduce((sum, row) => sum + (row[i] as number), logPrior[i] as number));
      const max = Math.max(...logs);
      const exps = logs.map((x) => Math.exp(x - max));
      const total = exps.reduce((a, b) => a + b, 0);
      return labels
        .map((intent, i) => ({ intent, p: (exps[i] as number) / total }))
        .sort((a, b) => b.p - a.p)
        .slice(0, 5);
    };
    const questions = data.intents.flatMap((i) => i.examples.slice(0, 3)).map(tokenize);
    // Words said twice count once; a question of unknown words and one of words every intent shares (ties).
    questions.push([...(questions[0] ?? []), ...(questions[0] ?? [])], ['种植牙', '火星'], []);
    expect(questions.length).toBeGreaterThan(50);
    for (const q of questions) expect(classifier.classify(q), q.join('/')).toEqual(reference(q));
    const tie = new IntentClassifier({
      labels: ['a', 'b', 'c'],
      logPrior: new Float64Array(3),
      logMissing: new Float64Array(3),
      logLikelihood: new Map([['x', new Float64Array(3)]]),
    });
    expect(tie.classify(['x']).map((s) => s.intent)).toEqual(['a', 'b', 'c']);
  });
});
