/**
 * The operators' desk's heavy work, measured (issue 16): grouping misses by similar question (jieba terms, TF-IDF,
 * ml-hclust) for 250, 500 and 1,000 misses — run on the event loop, so its time is how long the process is busy —
 * and a staged notice's preview (build, diff, the own labelled set scored on both knowledge bases), with the
 * event loop's longest stall meanwhile (the scoring yields every few items). Writes bench/ops/RESULTS.md.
 *
 *   npx tsx bench/ops/run.ts
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildAssistant } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { readItems } from '../../src/eval/score.js';
import { buildFromDir } from '../../src/kb/load.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { dayRange, shanghaiDay } from '../../src/ops/day.js';
import { groupMisses, questionTerms } from '../../src/ops/groups.js';
import { NoticeDesk } from '../../src/ops/knowledge/publish.js';
import type { Miss } from '../../src/ops/types.js';
import { ROOT } from '../lib/server.js';

const config = loadConfig({ KNOWLEDGE_DIR: join(ROOT, 'knowledge'), INTENTS_DIR: join(ROOT, 'intents') });
const kb = await buildFromDir(config.knowledgeDir);
const assistant = await buildAssistant({ ...config, answerCache: { max: 0, ttlMs: 1000, maxBytes: 0 } });
const ownSet = join(ROOT, 'test', 'eval', 'questions.jsonl');
const questions = [...new Set((await readItems(ownSet)).flatMap((i) => i.turns.map((t) => t.q)))];
const regions = ['', '包头', '大连', '北京', '商洛', '云南'];
const now = Date.now();

/** N misses with distinct questions: the own set's questions, each also asked for other regions. */
function misses(n: number): Miss[] {
  const out: Miss[] = [];
  for (let i = 0; out.length < n; i++) {
    const q = questions[i % questions.length] as string;
    const r = regions[Math.floor(i / questions.length) % regions.length] as string;
    out.push({
      id: i + 1,
      kind: 'handoff',
      sessionId: `s${i}`,
      channel: 'web',
      text: `${r}${q}`,
      reply: '……',
      replyType: 'handoff',
      region: r || null,
      intent: null,
      rule: 'unanswered',
      confidence: null,
      candidates: [{ notice: 'baotou-2022-10-08', clause: '五', score: 5, confidence: 0.2 }],
      detail: 'unanswered',
      comment: null,
      at: now - (i % 30) * 86_400_000,
    });
  }
  return out;
}

const terms = questionTerms(assistant.language, (w) => kb.regions.isPlaceWord(w));
const days = dayRange(now, 30);
const lines: string[] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
lines.push('| misses | distinct questions | groups | time (median of 3) |', '|---|---|---|---|');
// The service groups the newest MAX_GROUPED (500); the larger run shows why it stops there.
for (const n of [250, 500, 1000]) {
  const list = misses(n);
  const times: number[] = [];
  let groups = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    groups = groupMisses(list, { by: 'question', terms, days, dayOf: shanghaiDay, title: () => null, limit: n }).length;
    times.push(performance.now() - t0);
  }
  lines.push(`| ${n} | ${new Set(list.map((m) => m.text)).size} | ${groups} | ${median(times).toFixed(0)} ms |`);
}

// A preview: the knowledge folder copied, a notice staged, the own set scored on both.
const root = await mkdtemp(join(tmpdir(), 'hl-bench-ops-'));
await cp(config.knowledgeDir, join(root, 'knowledge'), { recursive: true });
const knowledge = new KnowledgeStore(() => buildFromDir(join(root, 'knowledge')));
await knowledge.reload();
const items = await readItems(ownSet);
const scorer = assistant.detached();
const desk = new NoticeDesk({
  knowledgeDir: join(root, 'knowledge'),
  opsDir: join(root, 'ops'),
  build: (dir) => buildFromDir(dir),
  reload: () => knowledge.reload(),
  evaluate: {
    sets: async () => [{ name: 'questions.jsonl', items }],
    ask: (k) => (text, sessionId, region) => scorer.ask(k, { text, sessionId, ...(region ? { region } : {}) }),
  },
  floor: 0.85,
});
await desk.staging.put('dalian-ltc-example.txt', await readFile(join(ROOT, 'test', 'fixtures', 'ops', 'dalian-ltc-example.txt')));
const previews: { ms: number; stall: number }[] = [];
for (let r = 0; r < 3; r++) {
  await desk.staging.put(`extra-${r}.yaml`, Buffer.from(`version: 1\ntitle: 第${r}次\n`)).catch(() => {});
  await desk.staging.remove(`extra-${r}.yaml`).catch(() => {});
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const t0 = performance.now();
  // A fresh live knowledge base each round, so the preview is worked out, not the kept one.
  await knowledge.reload();
  await desk.preview(knowledge.require());
  previews.push({ ms: performance.now() - t0, stall: h.max / 1e6 });
  h.disable();
}
await rm(root, { recursive: true, force: true });

const out = `# The operators' desk: grouping and preview

\`npx tsx bench/ops/run.ts\`, ${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}.

Grouping misses by similar question (\`groupMisses\`, by \`question\`, 30 days; the service groups the newest 1,000
and keeps a grouping 30 s). It runs on the event loop: its time is how long the process answers nothing else.

${lines.join('\n')}

A staged notice's preview (build of the staged knowledge, diff, the own labelled set — ${items.length} items — on the
live and the staged knowledge base), median of 3: **${median(previews.map((p) => p.ms)).toFixed(0)} ms**; the event
loop's longest stall meanwhile: **${median(previews.map((p) => p.stall)).toFixed(0)} ms** (the scoring yields every
four items; the knowledge build is one stretch).
`;
await writeFile(join(ROOT, 'bench', 'ops', 'RESULTS.md'), out);
process.stdout.write(out);
