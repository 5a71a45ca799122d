import { el, link } from './dom.js';
import type { Citation } from './protocol.js';

const NUMERAL = /^[〇零一二三四五六七八九十百千两]+$|^[0-9]+$/;

/**
 * A clause's path as people say it: `五` → 第五条, `十二.一` → 第十二条（一）, `s3.四` → 第3部分（四）,
 * `p6` (a paragraph of an unnumbered text) → 第6段, `preamble` → 开头, `signature` → 落款; anything else as it
 * is. A repeated number's `~2` is not shown (the link's title keeps the exact id).
 */
export function clauseLabel(clause: string): string {
  const path = clause.replace(/~[0-9]+$/, '');
  if (path === 'preamble') return '开头';
  if (path === 'signature') return '落款';
  const [first = '', ...rest] = path.split('.');
  const section = /^s([0-9]+)$/.exec(first);
  const paragraph = /^p([0-9]+)$/.exec(first);
  const head = NUMERAL.test(first) ? `第${first}条` : section ? `第${section[1]}部分` : paragraph ? `第${paragraph[1]}段` : null;
  if (head === null || !rest.every((r) => NUMERAL.test(r))) return path;
  return `${head}${rest.map((r) => `（${r}）`).join('')}`;
}

/** What a source is called on screen: the notice's title (or id) and the clause. */
export function citationText(c: Citation): string {
  return `${c.title ?? c.notice} ${clauseLabel(c.clause)}`;
}

/** One source: the link, then document number and date, then the quoted sentence. */
export function citationItem(c: Citation): HTMLLIElement {
  const item = el('li', { class: 'citation', title: `${c.notice}#${c.clause}` }, link(c.url, citationText(c)));
  const meta = [c.authority, c.docNumber, c.date].filter((x): x is string => Boolean(x)).join(' · ');
  if (meta) item.append(el('span', { class: 'muted' }, ` ${meta}`));
  if (c.quote) item.append(el('blockquote', {}, c.quote));
  return item;
}

/** The sources as a list (or null when there are none). */
export function citationList(citations: readonly Citation[] | undefined): HTMLOListElement | null {
  if (!citations || citations.length === 0) return null;
  return el('ol', { class: 'citations' }, ...citations.map(citationItem));
}

/** The sources behind a collapsible `来源（n）`, or null when there are none. */
export function sources(citations: readonly Citation[] | undefined, open = false): HTMLDetailsElement | null {
  const list = citationList(citations);
  if (!list) return null;
  const details = el('details', { class: 'sources' }, el('summary', {}, `来源（${list.children.length}）`), list);
  details.open = open;
  return details;
}
