import type { Changed, NoticeDiff, Preview, SetComparison } from './shapes.js';

/**
 * `POST /api/ops/preview` as the server sends it, read into the page's Preview. Two forms are read: the one
 * the notice desk builds (src/ops/knowledge/preview.ts: `eval` a list of sets, `overall`, `diff` with `notices`
 * and `gone`, a changed turn's `trend`) and the one issue 16's API sketch wrote (`eval: {sets, live, staged}`,
 * `diff` a list, `change`). Only this file knows there are two.
 */
type RawChanged = Omit<Changed, 'change'> & { change?: Changed['change']; trend?: Changed['change'] };
type RawSet = Omit<SetComparison, 'changed'> & { changed: RawChanged[] };

export interface RawPreview extends Omit<Preview, 'diff' | 'gone' | 'sets' | 'overall'> {
  diff: NoticeDiff[] | { notices: NoticeDiff[]; gone?: { notice: string; reason: string }[] };
  eval: RawSet[] | { sets: RawSet[]; live: number; staged: number };
  overall?: { live: number; staged: number };
}

export function readPreview(raw: RawPreview): Preview {
  const sets = Array.isArray(raw.eval) ? raw.eval : raw.eval.sets;
  const pooled = (side: 'live' | 'staged') => {
    const t = sets.reduce((a, s) => ({ pass: a.pass + s[side].items.pass, total: a.total + s[side].items.total }), { pass: 0, total: 0 });
    return t.total === 0 ? 1 : t.pass / t.total;
  };
  const overall = raw.overall ?? (Array.isArray(raw.eval) ? { live: pooled('live'), staged: pooled('staged') } : raw.eval);
  return {
    fingerprint: raw.fingerprint,
    staged: raw.staged,
    report: { notices: raw.report.notices, skipped: raw.report.skipped ?? [] },
    diff: Array.isArray(raw.diff) ? raw.diff : raw.diff.notices,
    gone: Array.isArray(raw.diff) ? [] : (raw.diff.gone ?? []),
    sets: sets.map((s) => ({
      name: s.name,
      live: s.live,
      staged: s.staged,
      changed: s.changed.map(({ trend, change, ...c }) => ({ ...c, change: change ?? trend ?? 'same' })),
    })),
    overall: { live: overall.live, staged: overall.staged },
    floor: raw.floor,
    belowFloor: raw.belowFloor,
  };
}
