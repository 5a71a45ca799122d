/**
 * The shapes of the `/api/ops/*` answers that src/ops/types.ts does not hold yet (staging, preview, publish,
 * expiry, exported sets), as the page reads them. Types only: nothing here reaches the bundle.
 */
export type { ExportExpect, GroupBy, GroupsResponse, MissGroup, MissKind, TrendsResponse } from '../../ops/types.js';

export interface Me {
  id: string;
  name: string;
}

export interface StagedFile {
  name: string;
  size: number;
  at: number;
  /** Why the file cannot be published (one dropped into staging by hand; an upload is refused instead). */
  problem?: string;
}

export interface ExportResult {
  name: string;
  file: string;
  items: number;
  jsonl: string;
}

export interface SavedSet {
  name: string;
  file?: string;
  items: number;
  at: number;
}

/** One notice of the kb report (src/kb/report.ts NoticeReport), the fields the preview shows. */
export interface NoticeReport {
  id: string;
  encoding: string;
  structure: string;
  clauses: { total: number; policy: number; preamble: number; signature: number; attachment: number };
  facts: Record<string, number> & { total: number };
  meta: {
    title: string | null;
    authority: string | null;
    docNumber: string | null;
    date: string | null;
    region: string | null;
    kind: string;
    expires: string | null;
    effective: string | null;
  };
  metaSources: Record<string, string>;
  regionLevel: string | null;
  damage: { context: string; reason: string }[];
  notes: string[];
}

export type ClauseStatus = 'new' | 'changed' | 'gone' | 'same';

export interface NoticeDiff {
  notice: string;
  status: 'new' | 'changed' | 'unchanged';
  meta: { field: string; from: string | null; to: string | null }[];
  clauses: { path: string; status: ClauseStatus; before?: string; after?: string; parts?: { op: '=' | '+' | '-'; text: string }[] }[];
  facts: { new: { type: string; text: string; clause: string }[]; gone: { type: string; text: string; clause: string }[] };
}

export interface Tally {
  pass: number;
  total: number;
}

export interface Summary {
  items: Tally;
  turns: Tally;
  byType: Record<string, Tally>;
}

export interface ReplySide {
  type: string;
  text: string;
  citations: string[];
  pass: boolean;
  /** Why the turn fails. */
  why?: string[];
}

export interface Changed {
  item: string;
  /** 1-based, as `npm run eval` numbers turns. */
  turn: number;
  q: string;
  region?: string;
  before: ReplySide;
  after: ReplySide;
  change: 'better' | 'worse' | 'same';
}

export interface SetComparison {
  name: string;
  live: Summary;
  staged: Summary;
  changed: Changed[];
}

/** The preview as the page shows it (wire.ts reads the server's answer into this). */
export interface Preview {
  fingerprint: string;
  staged: StagedFile[];
  report: { notices: NoticeReport[]; skipped: { file: string; code: string; message: string }[] };
  diff: NoticeDiff[];
  /** Live notices the staged knowledge base would lose (a staged file replacing one no longer builds). */
  gone: { notice: string; reason: string }[];
  sets: SetComparison[];
  /** Items passed, 0–1, over every set. */
  overall: { live: number; staged: number };
  floor: number;
  belowFloor: boolean;
}

export interface PublishRecord {
  id: number | string;
  kind: 'publish';
  operator: string;
  at: number | string;
  files: { added: string[]; replaced: string[] };
  notices: { id: string; status: string; clauses: { new: number; changed: number; gone: number }; facts: { new: number; gone: number } }[];
  eval: { live: number; staged: number; floor?: number };
  confirmedBelowFloor: boolean;
  note?: string;
  /** How it ended: `failed` and `interrupted` changes were put back. */
  outcome?: 'done' | 'failed' | 'interrupted';
  error?: string;
  /** The rollback that undid it. */
  rolledBackBy?: number | string;
}

export interface RollbackRecord {
  id: number | string;
  kind: 'rollback';
  of: number | string;
  operator: string;
  at: number | string;
  outcome?: 'done' | 'failed' | 'interrupted';
  error?: string;
  files?: { restored: string[]; removed: string[] };
  /** Files changed since the publish wrote them, overwritten all the same. */
  drift?: string[];
}

export type HistoryRecord = PublishRecord | RollbackRecord;

export type { ExpiryResponse, NoticeExpiry } from '../../ops/types.js';
