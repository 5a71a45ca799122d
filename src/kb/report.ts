import { FACT_TYPES, type FactType } from '../ingest/facts/index.js';
import type { Notice } from '../ingest/notice.js';
import type { KnowledgeBase } from './knowledge-base.js';

export interface NoticeReport {
  id: string;
  encoding: string;
  script: string;
  structure: string;
  clauses: { total: number; policy: number; preamble: number; signature: number; attachment: number };
  facts: Partial<Record<FactType, number>> & { total: number };
  meta: Notice['meta'];
  metaSources: Notice['metaSources'];
  metaEvidence: Notice['metaEvidence'];
  /** The region's level in the gazetteer (city, county …), or null when it is no known place. */
  regionLevel: string | null;
  removed: Notice['removed'];
  corrections: { from: string; to: string; count: number }[];
  damage: { context: string; reason: string }[];
  notes: string[];
}

export interface BuildReport {
  builtAt: string;
  notices: NoticeReport[];
  skipped: { file: string; code: string; message: string }[];
  totals: { notices: number; clauses: number; facts: Partial<Record<FactType, number>> & { total: number }; skipped: number };
}

function countFacts(facts: readonly { type: FactType }[]): Partial<Record<FactType, number>> & { total: number } {
  const out: Partial<Record<FactType, number>> & { total: number } = { total: facts.length };
  for (const t of FACT_TYPES) {
    const n = facts.filter((f) => f.type === t).length;
    if (n > 0) out[t] = n;
  }
  return out;
}

/** What the build found, per notice, as data (for `npm run kb -- --json` and tests). */
export function buildReport(kb: KnowledgeBase): BuildReport {
  const notices = kb.notices.map((n): NoticeReport => {
    const kinds = (k: string) => n.clauses.filter((c) => c.kind === k).length;
    return {
      id: n.id,
      encoding: n.encoding,
      script: n.script,
      structure: n.structure,
      clauses: {
        total: n.clauses.length,
        policy: kinds('policy'),
        preamble: kinds('preamble'),
        signature: kinds('signature'),
        attachment: kinds('attachment'),
      },
      facts: countFacts(n.facts),
      meta: n.meta,
      metaSources: n.metaSources,
      metaEvidence: n.metaEvidence,
      regionLevel: (n.meta.region ? kb.regions.place(n.meta.region)?.level : null) ?? null,
      removed: n.removed,
      corrections: n.corrections,
      damage: n.damage.map((d) => ({ context: d.context, reason: d.reason })),
      notes: n.notes,
    };
  });
  return {
    builtAt: kb.builtAt,
    notices,
    skipped: [...kb.skipped],
    totals: {
      notices: kb.notices.length,
      clauses: kb.counts.clauses,
      facts: countFacts(kb.notices.flatMap((n) => n.facts)),
      skipped: kb.skipped.length,
    },
  };
}

function factLine(facts: NoticeReport['facts']): string {
  return (
    FACT_TYPES.filter((t) => facts[t])
      .map((t) => `${t} ${facts[t]}`)
      .join(', ') || 'none'
  );
}

/** The report as text, for a person reading the terminal. */
export function formatReport(r: BuildReport): string {
  const lines: string[] = [];
  for (const n of r.notices) {
    const m = n.meta;
    const src = (f: keyof typeof n.metaSources) => (n.metaSources[f] === 'text' ? '' : ` [${n.metaSources[f]}]`);
    lines.push(`■ ${n.id}  (${n.encoding}, ${n.script}, structure: ${n.structure})`);
    lines.push(`  title      ${m.title ?? '—'}${src('title')}`);
    const e = n.metaEvidence;
    const from = e.authority && n.metaSources.authority === 'text' ? ` (${e.authority})` : '';
    lines.push(`  authority  ${m.authority ?? '—'}${from}${src('authority')}`);
    lines.push(`  docNumber  ${m.docNumber ?? '—'}${src('docNumber')}`);
    lines.push(`  date       ${m.date ?? '—'}${m.dateText ? ` (“${m.dateText}”)` : ''}${src('date')}`);
    const found = m.region ? ` (${n.regionLevel ?? 'unknown place'}; ${e.region ?? 'sidecar'})` : '';
    lines.push(`  region     ${m.region ?? '—'}${found}${src('region')}`);
    const why = m.kind === 'temporary' && e.kind && n.metaSources.kind === 'text' ? ` (“${e.kind}”)` : '';
    lines.push(`  kind       ${m.kind}${why}${m.expires ? `, expires ${m.expires}` : ''}${src('kind')}`);
    lines.push(`  effective  ${m.effective ?? '—'}${m.effectiveText ? ` (“${m.effectiveText}”)` : ''}${src('effective')}`);
    const c = n.clauses;
    lines.push(`  clauses    ${c.total}: ${c.policy} policy, ${c.preamble} preamble, ${c.signature} signature, ${c.attachment} attachment`);
    lines.push(`  facts      ${n.facts.total}: ${factLine(n.facts)}`);
    const removed = Object.entries(n.removed)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${v}`);
    if (removed.length > 0) lines.push(`  removed    ${removed.join(', ')}`);
    for (const k of n.corrections) lines.push(`  corrected  “${k.from}” → “${k.to}” ×${k.count}`);
    for (const d of n.damage) lines.push(`  damaged?   “${d.context}” (${d.reason})`);
    for (const note of n.notes) lines.push(`  note       ${note}`);
    lines.push('');
  }
  for (const s of r.skipped) lines.push(`✗ skipped ${s.file}: ${s.code} ${s.message}`);
  const t = r.totals;
  lines.push(`${t.notices} notices, ${t.clauses} clauses, ${t.facts.total} facts (${factLine(t.facts)}), ${t.skipped} skipped`);
  return lines.join('\n');
}
