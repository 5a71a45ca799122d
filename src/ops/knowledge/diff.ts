import { diffWordsWithSpace } from 'diff';
import type { Fact } from '../../ingest/facts/index.js';
import type { NoticeMeta } from '../../ingest/meta.js';
import type { Notice } from '../../ingest/notice.js';
import type { KnowledgeBase } from '../../kb/knowledge-base.js';

/** A run of a word-level diff: kept (`=`), added (`+`) or taken out (`-`). */
export interface DiffPart {
  op: '=' | '+' | '-';
  text: string;
}

export interface MetaChange {
  field: keyof NoticeMeta;
  from: string | null;
  to: string | null;
}

export interface ClauseDiff {
  /** The clause's path in its notice (`三.（二）`), which is how clauses are matched. */
  path: string;
  status: 'new' | 'changed' | 'gone' | 'same';
  /** The live clause's text (changed, gone). */
  before?: string;
  /** The staged clause's text (new, changed). */
  after?: string;
  /** For a changed clause: the word-level diff from `before` to `after` (CJK compares character by character). */
  parts?: DiffPart[];
}

export interface FactRef {
  type: Fact['type'];
  text: string;
  /** The clause's path in its notice. */
  clause: string;
}

export interface NoticeDiff {
  notice: string;
  status: 'new' | 'changed' | 'unchanged';
  meta: MetaChange[];
  /** Every clause, staged order, with a gone clause placed after the one it followed in the live notice. */
  clauses: ClauseDiff[];
  facts: { new: FactRef[]; gone: FactRef[] };
}

export interface KnowledgeDiff {
  /** The staged notices that build, one per stem touched. */
  notices: NoticeDiff[];
  /**
   * Live notices the staged knowledge base would not have: a staged file that replaces one but no longer builds
   * (its reason from the staged build's skipped list). Publishing never removes a file, so this is a break.
   */
  gone: { notice: string; reason: string }[];
}

const META_FIELDS: readonly (keyof NoticeMeta)[] = [
  'title',
  'authority',
  'docNumber',
  'date',
  'dateText',
  'region',
  'kind',
  'expires',
  'effective',
  'effectiveText',
];

/**
 * What publishing the staged files would change, notice by notice, for the notices whose stem was staged (a
 * notice or its sidecar): metadata, clauses matched by path, and facts (by type, text and clause). Pure.
 */
export function diffKnowledge(live: KnowledgeBase, staged: KnowledgeBase, stems: readonly string[]): KnowledgeDiff {
  const notices: NoticeDiff[] = [];
  for (const stem of [...new Set(stems)].sort()) {
    const after = staged.notice(stem);
    if (after) notices.push(diffNotice(live.notice(stem), after));
  }
  const gone = live.notices.filter((n) => !staged.notice(n.id)).map((n) => ({ notice: n.id, reason: skipReason(staged, n.id) }));
  return { notices, gone };
}

/** One notice against its live version (none when it is new). */
export function diffNotice(before: Notice | undefined, after: Notice): NoticeDiff {
  const meta = before
    ? META_FIELDS.filter((f) => before.meta[f] !== after.meta[f]).map((f) => ({ field: f, from: before.meta[f], to: after.meta[f] }))
    : [];
  const clauses = diffClauses(before?.clauses ?? [], after.clauses);
  const facts = diffFacts(before?.facts ?? [], after.facts, before?.id ?? after.id);
  const touched = meta.length > 0 || clauses.some((c) => c.status !== 'same') || facts.new.length + facts.gone.length > 0;
  return { notice: after.id, status: before ? (touched ? 'changed' : 'unchanged') : 'new', meta, clauses, facts };
}

/** The word-level diff of two texts, as runs. */
export function wordDiff(before: string, after: string): DiffPart[] {
  return diffWordsWithSpace(before, after).map((c) => ({ op: c.added ? '+' : c.removed ? '-' : '=', text: c.value }));
}

function diffClauses(before: readonly Notice['clauses'][number][], after: readonly Notice['clauses'][number][]): ClauseDiff[] {
  const live = new Map(before.map((c) => [c.path, c]));
  const out: ClauseDiff[] = after.map((c): ClauseDiff => {
    const was = live.get(c.path);
    if (!was) return { path: c.path, status: 'new', after: c.quote };
    if (was.quote === c.quote) return { path: c.path, status: 'same' };
    return { path: c.path, status: 'changed', before: was.quote, after: c.quote, parts: wordDiff(was.quote, c.quote) };
  });
  const kept = new Set(after.map((c) => c.path));
  for (const [i, c] of before.entries()) {
    if (kept.has(c.path)) continue;
    const previous = i > 0 ? (before[i - 1] as Notice['clauses'][number]).path : null;
    const at = previous === null ? 0 : out.findIndex((d) => d.path === previous) + 1;
    out.splice(at, 0, { path: c.path, status: 'gone', before: c.quote });
  }
  return out;
}

function diffFacts(before: readonly Fact[], after: readonly Fact[], noticeId: string): NoticeDiff['facts'] {
  const ref = (f: Fact): FactRef => ({ type: f.type, text: f.text, clause: f.clause.slice(noticeId.length + 1) });
  const key = (f: FactRef) => `${f.type}\u0000${f.clause}\u0000${f.text}`;
  /** The facts of `a` that `b` lacks, as many times as `a` has them more (a multiset difference). */
  const minus = (a: readonly Fact[], b: readonly Fact[]): FactRef[] => {
    const left = new Map<string, number>();
    for (const f of b.map(ref)) left.set(key(f), (left.get(key(f)) ?? 0) + 1);
    return a.map(ref).filter((f) => {
      const n = left.get(key(f)) ?? 0;
      if (n > 0) left.set(key(f), n - 1);
      return n === 0;
    });
  };
  return { new: minus(after, before), gone: minus(before, after) };
}

function skipReason(kb: KnowledgeBase, noticeId: string): string {
  const skipped = kb.skipped.find((s) => s.file.endsWith(`/${noticeId}.txt`) || s.file.endsWith(`\\${noticeId}.txt`));
  return skipped ? `${skipped.code}: ${skipped.message}` : 'not in the staged knowledge base';
}
