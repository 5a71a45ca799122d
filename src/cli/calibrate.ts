/**
 * `npm run calibrate [-- --set FILE[=NOTICES_DIR] …] [--write]`: choose the decision rules' thresholds on
 * labelled data, by a procedure anyone can rerun (README, "Calibration").
 *
 * Sets (default: the own set over the project's notices, and the own set over other notices with those
 * notices dropped into a copy of the knowledge base). Objective: items passed over all sets, minus half a
 * point for every answer given where a clarify, handoff or fallback was expected (a wrong answer costs more
 * than a needless question or handoff). Search: coordinate descent from the thresholds in force — each
 * threshold in turn over its grid, the others held — until a round changes nothing (at most 4 rounds); on a
 * tie the value in force stays, else the middle of the tied values is taken. `--write` writes
 * intents/policy.yaml with the result and how it was reached.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { assistantFactory } from '../app.js';
import { loadConfig } from '../config.js';
import { loadDialogueData, POLICY_FILE, type Policy } from '../dialogue/data.js';
import type { EvalItem } from '../eval/judge.js';
import { knowledgeWith } from '../eval/knowledge-copy.js';
import { readItems, type Score, score } from '../eval/score.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';
import { buildFromDir } from '../kb/load.js';

const DEFAULT_SETS = ['test/eval/questions.jsonl', 'test/eval/other/questions.jsonl=test/eval/other/notices'];
/** Each tunable threshold and the values tried. */
const GRID: { rule: keyof Policy; key: string; values: number[] }[] = [
  { rule: 'answer', key: 'threshold', values: range(0.1, 0.7, 0.05) },
  { rule: 'answer', key: 'min_score', values: [1, 2, 3, 4, 5, 6] },
  { rule: 'answer', key: 'followup_leniency', values: [0.5, 0.6, 0.7, 0.8, 0.9, 1] },
  { rule: 'answer', key: 'personal_override', values: range(0.4, 1, 0.1) },
  { rule: 'personal', key: 'threshold', values: [0.6, 0.7, 0.8, 0.9, 0.95, 0.99] },
  { rule: 'clarify_topic', key: 'threshold', values: range(0.15, 0.7, 0.05) },
  { rule: 'clarify_city', key: 'ambiguity', values: [0, 0.1, 0.15, 0.2, 0.3, 0.4] },
  { rule: 'clarify_city', key: 'also', values: [0.5, 0.6, 0.75, 0.9, 1] },
  { rule: 'scope', key: 'margin', values: [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5] },
  { rule: 'intent', key: 'threshold', values: [0.4, 0.5, 0.6, 0.7, 0.8] },
  { rule: 'coverage', key: 'situational', values: [0, 0.25, 0.5, 0.75, 1] },
  { rule: 'coverage', key: 'attachment', values: [0, 0.1, 0.2, 0.3, 0.5] },
];
const WRONG_ANSWER_COST = 0.5;

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to + 1e-9; v += step) out.push(Math.round(v * 100) / 100);
  return out;
}

const { values } = parseArgs({ options: { set: { type: 'string', multiple: true }, write: { type: 'boolean', default: false } } });
const config = loadConfig();
const specs = values.set && values.set.length > 0 ? values.set : DEFAULT_SETS;
const sets: { name: string; items: EvalItem[]; kb: KnowledgeBase }[] = [];
const cleanups: (() => Promise<void>)[] = [];
for (const spec of specs) {
  const [file, notices] = spec.split('=') as [string, string | undefined];
  let dir = config.knowledgeDir;
  if (notices) {
    const copy = await knowledgeWith(config.knowledgeDir, [notices]);
    cleanups.push(copy.remove);
    dir = copy.dir;
  }
  sets.push({ name: spec, items: await readItems(file), kb: await buildFromDir(dir) });
}
const make = await assistantFactory({ ...config, answerCache: { max: 0, ttlMs: 1000, maxBytes: 0 } });
const start = (await loadDialogueData(config.intentsDir)).policy;

async function run(policy: Policy): Promise<{ objective: number; scores: Score[] }> {
  const scores: Score[] = [];
  for (const set of sets) {
    const a = make(policy);
    scores.push(await score(set.items, (text, sessionId, region) => a.ask(set.kb, { text, sessionId, ...(region ? { region } : {}) })));
  }
  const objective = scores.reduce((n, s) => n + s.items.pass - WRONG_ANSWER_COST * s.wrongAnswers, 0);
  return { objective, scores };
}

const clone = (p: Policy): Policy => JSON.parse(JSON.stringify(p)) as Policy;
const get = (p: Policy, g: (typeof GRID)[number]) => (p[g.rule] as Record<string, number>)[g.key] as number;
const set = (p: Policy, g: (typeof GRID)[number], v: number) => {
  (p[g.rule] as Record<string, number>)[g.key] = v;
};

const before = await run(start);
const current = clone(start);
let best = before;
let rounds = 0;
for (; rounds < 4; rounds++) {
  let changed = false;
  for (const g of GRID) {
    const results: { v: number; objective: number; r: Awaited<ReturnType<typeof run>> }[] = [];
    for (const v of g.values) {
      const p = clone(current);
      set(p, g, v);
      const r = await run(p);
      results.push({ v, objective: r.objective, r });
    }
    const top = Math.max(...results.map((x) => x.objective));
    const tied = results.filter((x) => x.objective === top);
    const keep = tied.find((x) => x.v === get(current, g));
    const pick = keep ?? (tied[Math.floor((tied.length - 1) / 2)] as (typeof tied)[number]);
    if (pick.v !== get(current, g)) {
      set(current, g, pick.v);
      changed = true;
    }
    best = pick.r;
    process.stderr.write(`  ${g.rule}.${g.key} = ${pick.v}  (objective ${pick.objective.toFixed(1)})\n`);
  }
  if (!changed) break;
}
for (const c of cleanups) await c();

const line = (s: Score) =>
  `${s.items.pass}/${s.items.total} items, ${s.turns.pass}/${s.turns.total} turns, ${s.wrongAnswers} answers where none was expected`;
const report = sets.map((s, i) => `#   ${s.name}: before ${line(before.scores[i] as Score)}; after ${line(best.scores[i] as Score)}`);
process.stdout.write(
  `objective ${before.objective.toFixed(1)} → ${best.objective.toFixed(1)} after ${rounds + 1} round(s)\n${report.join('\n')}\n`,
);
for (const g of GRID) process.stdout.write(`${g.rule}.${g.key}: ${get(start, g)} → ${get(current, g)}\n`);

if (values.write) {
  const yaml = [
    '# The decision rules\' thresholds, in one place. Written by `npm run calibrate` (see README, "Calibration"):',
    '# do not edit by hand; rerun it after changing the language data or the retrieval.',
    `# Last run ${new Date().toISOString().slice(0, 10)}: objective ${before.objective.toFixed(1)} → ${best.objective.toFixed(1)} (items passed − ${WRONG_ANSWER_COST} × answers where none was expected), ${rounds + 1} round(s), on:`,
    ...report,
    'version: 1',
    'rules:',
    ...Object.entries(current).flatMap(([rule, vals]) => [
      `  ${rule}:`,
      ...Object.entries(vals as Record<string, number>).map(([k, v]) => `    ${k}: ${v}`),
    ]),
    '',
  ].join('\n');
  await writeFile(join(config.intentsDir, POLICY_FILE), yaml);
  process.stdout.write(`wrote ${join(config.intentsDir, POLICY_FILE)}\n`);
}
