/**
 * (b) The growth curve: in-process `assistant.ask` (answer cache off, a fresh session per question) at 5, 50,
 * 500 and 5,000 notices, for both variants of copies (copies.ts). Each variant runs in a child process of its
 * own (its knowledge bases are large); per size: build the knowledge base from its folder (timed), index it
 * (`prepare`, timed), warm up, then the runs, each at least one pass over the own set and a second long.
 */
import { fileURLToPath } from 'node:url';
import { runInChild } from '../lib/child.js';
import { buildAssistant, buildFromDir, timedAsk, uncachedConfig } from '../lib/pipeline.js';
import { questions } from '../lib/server.js';
import { type Spread, showSpread, spread } from '../lib/spread.js';
import { quantile } from '../reliability/lib/stats.js';
import { type Context, provenance } from './context.js';
import { knowledgeOf, type Variant } from './copies.js';
import type { Section } from './results.js';

/** A run asks at least one pass over the questions and for at least this long, but stops after RUN_CAP_MS. */
const RUN_MIN_MS = 1000;
const RUN_CAP_MS = 20_000;
const WARMUP_CAP_MS = 3000;
/** Room for 5,000 notices and their index. */
const HEAP_MB = 12_288;

interface SizeFigures {
  size: number;
  notices: number;
  clauses: number;
  regions: number;
  skipped: number;
  /** The folder was written by this run (else reused from an earlier one). */
  wroteFolder: boolean;
  writeMs: number;
  buildMs: number;
  indexMs: number;
  heapMb: number;
  runs: { asks: number; p50: number; p99: number }[];
}

async function measureVariant(variant: Variant, sizes: readonly number[], runs: number): Promise<SizeFigures[]> {
  const assistant = await buildAssistant(uncachedConfig());
  const qs = await questions();
  const out: SizeFigures[] = [];
  for (const size of sizes) {
    const w0 = performance.now();
    const folder = await knowledgeOf(variant, size);
    const writeMs = performance.now() - w0;
    const b0 = performance.now();
    let kb: Awaited<ReturnType<typeof buildFromDir>> | null = await buildFromDir(folder.dir);
    const buildMs = performance.now() - b0;
    const i0 = performance.now();
    assistant.prepare(kb);
    const indexMs = performance.now() - i0;
    (globalThis as { gc?: () => void }).gc?.();
    const heapMb = process.memoryUsage().heapUsed / 2 ** 20;

    const ask = timedAsk(assistant, kb, `g${size}`);
    const warm0 = performance.now();
    for (const q of qs) {
      ask(q);
      if (performance.now() - warm0 > WARMUP_CAP_MS) break;
    }
    const figures: SizeFigures['runs'] = [];
    for (let r = 0; r < runs; r++) {
      const times: number[] = [];
      const t0 = performance.now();
      for (let i = 0; ; i++) {
        const elapsed = performance.now() - t0;
        if (elapsed > RUN_CAP_MS || (i >= qs.length && elapsed > RUN_MIN_MS)) break;
        times.push(ask(qs[i % qs.length] as string));
      }
      figures.push({ asks: times.length, p50: quantile(times, 0.5), p99: quantile(times, 0.99) });
    }
    out.push({
      size,
      notices: kb.counts.notices,
      clauses: kb.counts.clauses,
      regions: kb.regionNames().length,
      skipped: kb.counts.skipped,
      wroteFolder: folder.written,
      writeMs,
      buildMs,
      indexMs,
      heapMb,
      runs: figures,
    });
    console.error(
      `  (b) ${variant} ${size}: ${kb.counts.notices} notices in ${kb.regionNames().length} regions, build ${buildMs.toFixed(0)} ms, index ${indexMs.toFixed(0)} ms, p50 ${figures.map((f) => f.p50.toFixed(3)).join('/')} ms, p99 ${figures.map((f) => f.p99.toFixed(3)).join('/')} ms`,
    );
    kb = null;
  }
  return out;
}

function child(variant: Variant, sizes: readonly number[], runs: number): Promise<SizeFigures[]> {
  return runInChild(fileURLToPath(import.meta.url), ['--child', variant, sizes.join(','), String(runs)], {
    what: `growth (${variant})`,
    nodeArgs: ['--expose-gc', `--max-old-space-size=${HEAP_MB}`],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--child') {
  const [variant, sizes, runs] = process.argv.slice(3);
  const figures = await measureVariant(variant as Variant, (sizes ?? '5').split(',').map(Number), Number(runs ?? 3));
  console.log(JSON.stringify(figures));
  process.exit(0);
}

const VARIANTS = ['same', 'spread', 'distinct'] as const;
const VARIANT_TEXT: Record<Variant, string> = {
  same: 'same regions, more copies',
  spread: 'more regions (copies moved to other cities)',
  distinct: 'distinct texts (moved, and no clause word for word in two notices)',
};

export async function growth(ctx: Context, sizes: readonly number[] = ctx.quick ? [5, 50, 500] : [5, 50, 500, 5000]): Promise<Section> {
  const results: Record<Variant, SizeFigures[]> = { same: [], spread: [], distinct: [] };
  const t0 = performance.now();
  for (const variant of VARIANTS) results[variant] = await child(variant, sizes, ctx.runs);
  const totalS = (performance.now() - t0) / 1000;
  ctx.log(`  (b) growth measured in ${totalS.toFixed(0)} s`);

  const sp = (xs: number[], d: number) => showSpread(spread(xs), d);
  const table = (variant: Variant) =>
    [
      '| notices | regions | clauses | folder written ms | build ms | index ms | heap MB | asks/run | p50 ms | p99 ms |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...results[variant].map(
        (f) =>
          `| ${f.notices}${f.skipped ? ` (${f.skipped} skipped)` : ''} | ${f.regions} | ${f.clauses} | ${f.wroteFolder ? f.writeMs.toFixed(0) : 'reused'} | ${f.buildMs.toFixed(0)} | ${f.indexMs.toFixed(0)} | ${f.heapMb.toFixed(0)} | ${sp(
            f.runs.map((r) => r.asks),
            0,
          )} | ${sp(
            f.runs.map((r) => r.p50),
            3,
          )} | ${sp(
            f.runs.map((r) => r.p99),
            3,
          )} |`,
      ),
    ].join('\n');
  const ratio = (variant: Variant, big: number, small: number, key: 'p50' | 'p99'): Spread => {
    const b = results[variant].find((f) => f.size === big);
    const s = results[variant].find((f) => f.size === small);
    if (!b || !s) return spread([]);
    return spread(b.runs.map((r, i) => r[key] / (s.runs[i]?.[key] ?? Number.NaN)));
  };
  const at = (variant: Variant, size: number, key: 'p50' | 'p99'): Spread =>
    spread(results[variant].find((f) => f.size === size)?.runs.map((r) => r[key]) ?? []);
  const summary = VARIANTS.map(
    (v) =>
      `| ${VARIANT_TEXT[v]} | **${showSpread(ratio(v, 500, 50, 'p50'), 2)}** | ${showSpread(ratio(v, 500, 50, 'p99'), 2)} | **${showSpread(at(v, 5000, 'p50'), 3)}** | ${showSpread(at(v, 5000, 'p99'), 3)} |`,
  ).join('\n');

  return {
    key: 'b',
    markdown: `## (b) Growth: in-process answer time as notices grow

${provenance(ctx)} The whole part took ${totalS.toFixed(0)} s.

\`assistant.ask(kb, {text, sessionId})\`, answer cache off (\`ANSWER_CACHE_MAX=0\`), a fresh session per question, on
knowledge bases built with \`buildFromDir\` from folders of the five notices of \`knowledge/notices/\` plus copies of them
under new ids (\`<stem>-copyNNNN\`; the id is the file stem). *Same regions*: every copy keeps its original's region, so
the five regions hold more and more notices. *More regions*: every copy gets a \`region:\` in its sidecar (the
original's sidecar kept), naming the gazetteer's cities in turn, so copies spread over many cities. *Distinct texts*:
moved as in *more regions*, and every line of a copy that ends in 。 gets a word of the copy's own before it (letters,
no digit), so no clause stands word for word in two notices: nothing is indexed once for many, and every term's
postings grow with the notices, as they would with other bureaus' notices on the same topics. The folders are
written once under the system's temp folder, keyed by a hash of what they are made from. Each variant runs in a
process of its own; per size: build (timed), index (\`assistant.prepare\`, timed), warm-up (one pass over the own set's
questions, at most ${WARMUP_CAP_MS / 1000} s), then ${ctx.runs} runs in that process, each at least one pass over the own set's
questions and ${RUN_MIN_MS / 1000} s, at most ${RUN_CAP_MS / 1000} s. Heap: \`heapUsed\` after indexing and a full GC.

| variant | **p50 500 ÷ 50** (target ≤ 1.5) | p99 500 ÷ 50 | **p50 at 5,000, ms** (target < 1) | p99 at 5,000, ms |
|---|---|---|---|---|
${summary}

Same regions, more copies:

${table('same')}

More regions:

${table('spread')}

Distinct texts:

${table('distinct')}
`,
  };
}
