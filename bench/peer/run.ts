/**
 * Peer benchmark (issue 14): NLP.js (`@nlpjs/basic` + `@nlpjs/lang-zh`, language `zh`) trained on the
 * examples of `intents/` — read with the project's own loader — against our whole answer pipeline
 * (`assistant.ask`, answer cache off), on the same questions (the own labelled set), interleaved in one
 * process: warm-up first, then rounds in which each question goes through both, the one that goes first
 * alternating. NLP.js's `process()` is async: each call is timed on its own, from the call to its await.
 * Each run is a fresh process; the figures are min / median / max of the runs. Writes bench/peer/RESULTS.md.
 *
 *   tsx bench/peer/run.ts [--runs 3] [--rounds 30] [--quick]   (--quick: 1 run, 5 rounds, prints only)
 */
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { containerBootstrap, Nlp } from '@nlpjs/basic';
import { LangZh } from '@nlpjs/lang-zh';
import { runInChild } from '../lib/child.js';
import { buildAssistant, buildFromDir, loadLanguageData, msSince, timedAsk, uncachedConfig } from '../lib/pipeline.js';
import { questions, ROOT } from '../lib/server.js';
import { argValue, machine, type Spread, showSpread, spread } from '../lib/spread.js';
import { quantile } from '../reliability/lib/stats.js';

const quick = process.argv.includes('--quick');
const RUNS = Number(argValue('runs') ?? (quick ? 1 : 3));
const ROUNDS = Number(argValue('rounds') ?? (quick ? 5 : 30));
const WARMUP_ROUNDS = 3;

/** One run's figures (ms). */
interface RunFigures {
  examples: number;
  intents: number;
  trainMs: number;
  calls: number;
  oursP50: number;
  oursP99: number;
  theirsP50: number;
  theirsP99: number;
}

/** One run, in this process. */
async function measure(): Promise<RunFigures> {
  const config = uncachedConfig();
  const kb = await buildFromDir(config.knowledgeDir);
  const assistant = await buildAssistant(config);
  assistant.prepare(kb);
  const language = await loadLanguageData(config.intentsDir);

  // NLP.js as its README sets it up, on every example of every intent.
  const container = await containerBootstrap();
  container.use(Nlp);
  container.use(LangZh);
  const nlp = container.get('nlp');
  nlp.settings.autoSave = false;
  nlp.settings.autoLoad = false;
  nlp.addLanguage('zh');
  let examples = 0;
  for (const intent of language.intents) {
    for (const example of intent.examples) {
      nlp.addDocument('zh', example, intent.id);
      examples++;
    }
  }
  const t0 = performance.now();
  await nlp.train();
  const trainMs = performance.now() - t0;

  const qs = await questions();
  const ours = timedAsk(assistant, kb, 'peer');
  const theirs = async (q: string): Promise<number> => {
    const s = process.hrtime.bigint();
    await nlp.process('zh', q);
    return msSince(s);
  };

  for (let r = 0; r < WARMUP_ROUNDS; r++) {
    for (const q of qs) {
      ours(q);
      await theirs(q);
    }
  }
  const oursMs: number[] = [];
  const theirsMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, q] of qs.entries()) {
      if ((r + i) % 2 === 0) {
        oursMs.push(ours(q));
        theirsMs.push(await theirs(q));
      } else {
        theirsMs.push(await theirs(q));
        oursMs.push(ours(q));
      }
    }
  }
  return {
    examples,
    intents: language.intents.length,
    trainMs,
    calls: oursMs.length,
    oursP50: quantile(oursMs, 0.5),
    oursP99: quantile(oursMs, 0.99),
    theirsP50: quantile(theirsMs, 0.5),
    theirsP99: quantile(theirsMs, 0.99),
  };
}

/** A run in a fresh process (its figures as the last line of its output). */
function child(): Promise<RunFigures> {
  return runInChild(fileURLToPath(import.meta.url), ['--child', '--rounds', String(ROUNDS)], { what: 'peer run' });
}

if (process.argv.includes('--child')) {
  console.log(JSON.stringify(await measure()));
  process.exit(0);
}

const loadAtStart = loadavg()[0] ?? 0;
const runs: RunFigures[] = [];
for (let i = 0; i < RUNS; i++) {
  const r = await child();
  runs.push(r);
  console.log(
    `run ${i + 1}/${RUNS}: ours p50 ${r.oursP50.toFixed(3)} p99 ${r.oursP99.toFixed(3)} ms; NLP.js p50 ${r.theirsP50.toFixed(3)} p99 ${r.theirsP99.toFixed(3)} ms; ratio p50 ${(r.oursP50 / r.theirsP50).toFixed(2)}× p99 ${(r.oursP99 / r.theirsP99).toFixed(2)}× (${r.calls} calls each, NLP.js trained in ${r.trainMs.toFixed(0)} ms)`,
  );
}
const of = (f: (r: RunFigures) => number): Spread => spread(runs.map(f));
const rows: [string, Spread, number][] = [
  ['ours p50 (ms)', of((r) => r.oursP50), 3],
  ['NLP.js p50 (ms)', of((r) => r.theirsP50), 3],
  ['**ratio p50, ours ÷ NLP.js**', of((r) => r.oursP50 / r.theirsP50), 2],
  ['ours p99 (ms)', of((r) => r.oursP99), 3],
  ['NLP.js p99 (ms)', of((r) => r.theirsP99), 3],
  ['**ratio p99, ours ÷ NLP.js**', of((r) => r.oursP99 / r.theirsP99), 2],
  ['NLP.js training (ms)', of((r) => r.trainMs), 0],
];
const table = ['| figure | min / median / max |', '|---|---|', ...rows.map(([name, s, d]) => `| ${name} | ${showSpread(s, d)} |`)].join(
  '\n',
);
console.log(`\n${table}`);
if (quick) {
  console.log('\n(--quick: RESULTS.md not written)');
  process.exit(0);
}
const first = runs[0] as RunFigures;
await writeFile(
  join(ROOT, 'bench', 'peer', 'RESULTS.md'),
  `# Peer benchmark — results

Generated by \`tsx bench/peer/run.ts\` (\`npm run bench\`, \`npm run bench:speed\`) on ${new Date().toISOString().slice(0, 10)};
machine: ${machine()}.

NLP.js (\`@nlpjs/basic\` \`containerBootstrap\` + \`Nlp\` + \`@nlpjs/lang-zh\` \`LangZh\`, language \`zh\`, its default
settings apart from autoSave/autoLoad off: sentiment on, NER not forced) trained on the ${first.examples} examples of the
${first.intents} intents in \`intents/intents.yaml\` (read with \`loadLanguageData\`), against our whole pipeline,
\`assistant.ask(kb, {text, sessionId})\` (understand, locate, query, retrieve, decide, compose, ground; the five notices;
the built code in \`dist/\`, as the service runs it; answer cache off, \`ANSWER_CACHE_MAX=0\`; a fresh session per question). Both in one process, on the own set's
${first.calls / ROUNDS} questions (\`test/eval/questions.jsonl\`): ${WARMUP_ROUNDS} warm-up rounds, then ${ROUNDS} rounds in which every
question goes through both, the first of the two alternating (${first.calls} calls each). Each call is timed on its
own (NLP.js's \`process()\` from the call to the end of its \`await\`). ${RUNS} runs, each a fresh process; load average
when they began ${loadAtStart.toFixed(2)} (other work on the machine shows here).

| figure | min / median / max of ${RUNS} runs |
|---|---|
${rows.map(([name, s, d]) => `| ${name} | ${showSpread(s, d)} |`).join('\n')}

The ratio is computed within each run, then spread over the runs. Issue 14's target: ≤ 1.0 at p50 and at p99.
`,
);
console.log('wrote bench/peer/RESULTS.md');
