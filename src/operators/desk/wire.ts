import type { Preview, SetComparison } from './shapes.js';

/** `POST /api/ops/preview` as the server sends it (src/ops/desk.ts `preview()`). */
export interface RawPreview extends Omit<Preview, 'sets' | 'overall' | 'gone'> {
  liveBuiltAt?: string;
  gone?: Preview['gone'];
  /** Every labelled set on both knowledge bases, and the items passed over all of them (0–1). */
  eval: { sets: SetComparison[]; live: number; staged: number };
}

/** The preview read into the page's shape: the sets and the pooled rates apart. */
export function readPreview(raw: RawPreview): Preview {
  return {
    fingerprint: raw.fingerprint,
    staged: raw.staged,
    report: { notices: raw.report.notices, skipped: raw.report.skipped ?? [] },
    diff: raw.diff,
    gone: raw.gone ?? [],
    sets: raw.eval.sets,
    overall: { live: raw.eval.live, staged: raw.eval.staged },
    floor: raw.floor,
    belowFloor: raw.belowFloor,
  };
}
