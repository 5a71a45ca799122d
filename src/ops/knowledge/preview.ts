import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { EvalItem } from '../../eval/judge.js';
import type { Ask } from '../../eval/score.js';
import type { KnowledgeBase } from '../../kb/knowledge-base.js';
import { type BuildReport, buildReport } from '../../kb/report.js';
import { compareEval, type EvalComparison, passRate } from './compare.js';
import { diffKnowledge, type KnowledgeDiff } from './diff.js';
import type { StagedBytes, StagedFile } from './staging.js';

/** One labelled set run on both knowledge bases. */
export interface SetComparison extends EvalComparison {
  name: string;
}

/** What publishing the staged files would do, for the desk to show before anything goes live. */
export interface NoticePreview {
  /** Digest of the staged names and bytes: a publish names the preview it confirms by it. */
  fingerprint: string;
  /** The live knowledge base compared against (its build time). */
  liveBuiltAt: string;
  staged: StagedFile[];
  /** The `npm run kb` report of the staged notices on the staged build (and those of them it skipped, with why). */
  report: BuildReport;
  diff: KnowledgeDiff;
  eval: SetComparison[];
  /** Items passed, 0–1, over every set. */
  overall: { live: number; staged: number };
  floor: number;
  belowFloor: boolean;
}

export interface PreviewInputs {
  knowledgeDir: string;
  live: KnowledgeBase;
  files: readonly StagedBytes[];
  staged: StagedFile[];
  fingerprint: string;
  build: (dir: string) => Promise<KnowledgeBase>;
  sets: readonly { name: string; items: readonly EvalItem[] }[];
  ask: (kb: KnowledgeBase) => Ask;
  floor: number;
  sessionPrefix: string;
}

/**
 * Build the staged knowledge base from a throwaway copy, report it, diff it and run the sets on both. The staged
 * knowledge base comes back too (a publish checks the reloaded one against it).
 */
export async function buildPreview(p: PreviewInputs): Promise<{ preview: NoticePreview; kb: KnowledgeBase }> {
  const copy = await overlay(p.knowledgeDir, p.files);
  let kb: KnowledgeBase;
  try {
    kb = await p.build(copy.dir);
  } finally {
    await copy.remove();
  }
  const stems = [...new Set(p.files.map((f) => basename(f.name, extname(f.name))))];
  const liveAsk = p.ask(p.live);
  const stagedAsk = p.ask(kb);
  const sets: SetComparison[] = [];
  for (const [i, set] of p.sets.entries()) {
    const result = await compareEval(set.items, liveAsk, stagedAsk, { sessionPrefix: `${p.sessionPrefix}-${i}` });
    sets.push({ name: set.name, ...result });
  }
  const pooled = (side: 'live' | 'staged') =>
    passRate(sets.reduce((t, s) => ({ pass: t.pass + s[side].items.pass, total: t.total + s[side].items.total }), { pass: 0, total: 0 }));
  const overall = { live: pooled('live'), staged: pooled('staged') };
  const preview: NoticePreview = {
    fingerprint: p.fingerprint,
    liveBuiltAt: p.live.builtAt,
    staged: p.staged,
    report: reportOf(kb, stems),
    diff: diffKnowledge(p.live, kb, stems),
    eval: sets,
    overall,
    floor: p.floor,
    belowFloor: overall.staged < p.floor,
  };
  return { preview, kb };
}

/** The build report cut to the given notices (and the files of them the build skipped), totals of those. */
export function reportOf(kb: KnowledgeBase, stems: readonly string[]): BuildReport {
  const full = buildReport(kb);
  const wanted = new Set(stems);
  const notices = full.notices.filter((n) => wanted.has(n.id));
  const skipped = full.skipped.filter((s) => wanted.has(basename(s.file, extname(s.file))));
  const facts: BuildReport['totals']['facts'] = { total: 0 };
  for (const n of notices) {
    for (const [type, count] of Object.entries(n.facts) as [keyof typeof facts, number][]) facts[type] = (facts[type] ?? 0) + count;
  }
  return {
    builtAt: full.builtAt,
    notices,
    skipped,
    totals: { notices: notices.length, clauses: notices.reduce((s, n) => s + n.clauses.total, 0), facts, skipped: skipped.length },
  };
}

/**
 * A throwaway copy of the knowledge folder (its build output left out) with the staged files laid over its
 * notices: a staged file replaces the live one of the same name, as publishing would.
 */
async function overlay(knowledgeDir: string, files: readonly StagedBytes[]): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'hl-staged-'));
  try {
    for (const entry of await readdir(knowledgeDir)) {
      if (entry !== 'build') await cp(join(knowledgeDir, entry), join(dir, entry), { recursive: true });
    }
    await mkdir(join(dir, 'notices'), { recursive: true });
    for (const f of files) await writeFile(join(dir, 'notices', f.name), f.bytes);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
