/**
 * The operators' desk (issue 16): which temporary measures have ended, which end soon, and which have no end
 * date at all (so an operator can set one in a sidecar). Pure: today is passed in.
 */
import type { Notice } from '../ingest/notice.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';
import { DAY_MS } from './day.js';
import type { NoticeExpiries, NoticeExpiry, OpenNotice } from './types.js';

export type { NoticeExpiries, NoticeExpiry, OpenNotice } from './types.js';

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
