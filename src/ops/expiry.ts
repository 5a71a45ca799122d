/**
 * The operators' desk (issue 16): which temporary measures have ended, which end soon, and which have no end
 * date at all (so an operator can set one in a sidecar). Pure: today is passed in.
 */
import type { Notice } from '../ingest/notice.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';

/** A temporary notice with an end date. */
export interface NoticeExpiry {
  /** The notice's id (its file stem). */
  notice: string;
  title: string | null;
  region: string | null;
  /** The notice's date (ISO, as complete as known). */
  date: string | null;
  /** The day its measures end (ISO). */
  expires: string;
  /** Where the end date comes from: the notice's text (有效期至…), or a sidecar (anything the operators set). */
  source: 'text' | 'sidecar';
  /** Days from today to the end date: negative once it has passed, 0 on the day itself. */
  daysLeft: number;
}

/** A temporary notice that states no end date. */
export interface OpenNotice {
  notice: string;
  title: string | null;
  region: string | null;
  date: string | null;
  /** The words that make it temporary (疫情防控期间, 阶段性 …), or null when a sidecar says so. */
  temporary: string | null;
}

export interface NoticeExpiries {
  /** Ended before today, the most recently ended first. */
  expired: NoticeExpiry[];
  /** Ending within `soonDays` (today included), the soonest first. */
  soon: NoticeExpiry[];
  /** Temporary with no end date, by notice id. */
  open: OpenNotice[];
}

const DAY_MS = 86_400_000;

/** Whole days from one ISO date to another. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

function head(n: Notice): Pick<NoticeExpiry, 'notice' | 'title' | 'region' | 'date'> {
  return { notice: n.id, title: n.meta.title, region: n.meta.region, date: n.meta.date };
}

/**
 * The temporary notices of a knowledge base by their end date, on `today` (YYYY-MM-DD): those ended, those
 * ending within `soonDays`, and those with no end date. Standing notices are not listed.
 */
export function noticeExpiries(kb: KnowledgeBase, today: string, soonDays: number): NoticeExpiries {
  const expired: NoticeExpiry[] = [];
  const soon: NoticeExpiry[] = [];
  const open: OpenNotice[] = [];
  for (const n of kb.notices) {
    if (n.meta.kind !== 'temporary') continue;
    const expires = n.meta.expires;
    if (!expires) {
      open.push({ ...head(n), temporary: n.metaEvidence.kind });
      continue;
    }
    const daysLeft = daysBetween(today, expires);
    const e: NoticeExpiry = { ...head(n), expires, source: n.metaSources.expires === 'text' ? 'text' : 'sidecar', daysLeft };
    if (daysLeft < 0) expired.push(e);
    else if (daysLeft <= soonDays) soon.push(e);
  }
  const byId = (a: { notice: string }, b: { notice: string }) => a.notice.localeCompare(b.notice);
  expired.sort((a, b) => b.expires.localeCompare(a.expires) || byId(a, b));
  soon.sort((a, b) => a.expires.localeCompare(b.expires) || byId(a, b));
  open.sort(byId);
  return { expired, soon, open };
}
