/**
 * The notices as pages: each notice faithful to its wording with an anchor per clause, the index of all
 * notices with their titles in one script (Simplified), and the page a browser gets for a notice that does
 * not exist. All in the shared look (`../page.ts`): AA contrast, nothing scrolls sideways on a phone.
 */
import { matchForm } from '../../ingest/normalize.js';
import type { Notice } from '../../ingest/notice.js';
import { detectScript, toSimplified } from '../../ingest/script.js';
import type { Clause } from '../../ingest/structure.js';
import { COLOURS, escapeHtml, htmlPage } from '../page.js';

const STYLE = `
nav.back{font-size:.9em}
header p{margin:.2rem 0;color:${COLOURS.muted}}
header p.reading{font-size:.9em}
.meta{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.2rem 1rem;margin:1rem 0;color:#333}
.meta dt{color:${COLOURS.muted}}
.meta dd{margin:0}
.note{background:#fff7e6;border-left:4px solid #f0a020;padding:.6rem 1rem;margin:1rem 0}
section{scroll-margin-top:1rem;padding:.2rem .6rem;border-left:3px solid transparent}
section:target{background:#eef6ff;border-left-color:#2a7ae2}
section p{margin:.3rem 0;white-space:pre-wrap}
section.depth-2{margin-left:1.5rem}section.depth-3{margin-left:3rem}section.depth-4{margin-left:4.5rem}
@media (max-width:30rem){section.depth-2{margin-left:.6rem}section.depth-3{margin-left:1.2rem}section.depth-4{margin-left:1.8rem}}
section.signature{text-align:right;color:#555}
section.attachment{color:#444;font-size:.95em;border-top:1px dashed #ccc;margin-top:1rem}
a.anchor{color:${COLOURS.muted};text-decoration:none;font-size:.8em;margin-left:.4rem}
a.anchor:hover,a.anchor:focus{text-decoration:underline}
ul.notices{list-style:none;padding:0}
ul.notices li{margin:0 0 1rem}
ul.notices .about,ul.notices .original{display:block;font-size:.9em;color:${COLOURS.muted}}
`;

/** `lang` for text in Traditional characters, so a screen reader reads it as such. */
const hant = (text: string) => (detectScript(text) === 'traditional' ? ' lang="zh-Hant"' : '');

function paragraphs(text: string): string {
  return text
    .split('\n')
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('');
}

function section(c: Clause): string {
  const id = escapeHtml(c.path);
  const anchor =
    c.kind === 'policy' || c.kind === 'attachment'
      ? `<a class="anchor" href="#${encodeURIComponent(c.path)}" aria-label="本条链接 ${id}">#${id}</a>`
      : '';
  return `<section id="${id}" class="${c.kind} depth-${c.depth}" data-clause="${escapeHtml(c.id)}">${paragraphs(c.quote)}${anchor}</section>`;
}

const BACK = '<nav class="back" aria-label="返回"><a href="/notices">← 全部通知</a></nav>';

/**
 * A notice as a readable page, faithful to its wording, with an anchor per clause (`#五`, `#三.六`). A title
 * in Traditional characters is followed by its Simplified reading (as the index lists it); the text is not
 * converted.
 */
export function renderNoticePage(n: Notice): string {
  const m = n.meta;
  const title = m.title ?? n.id;
  const simplified = toSimplified(title);
  const titleForm = matchForm(title);
  const letterhead = n.header.filter((h) => !titleForm.includes(matchForm(h)));
  const meta: [string, string | null][] = [
    ['发布机关', m.authority],
    ['文号', m.docNumber],
    ['日期', m.dateText ?? m.date],
    ['地区', m.region],
  ];
  const lang = n.script === 'traditional' ? ' lang="zh-Hant"' : '';
  const body = `<header>${BACK}${letterhead.map((h) => `<p>${escapeHtml(h)}</p>`).join('')}<h1${hant(title)}>${escapeHtml(title)}</h1>
${simplified === title ? '' : `<p class="reading">简体标题：${escapeHtml(simplified)}</p>`}
<dl class="meta">${meta
    .filter(([, v]) => v)
    .map(([k, v]) => `<dt>${k}</dt><dd>${escapeHtml(v as string)}</dd>`)
    .join('')}</dl>
<p class="note" role="note">本文件发布于 ${escapeHtml(m.date ?? '日期不详')}，所载多为新冠疫情期间的临时性措施，现行规定请以医保部门最新公布为准。</p>
</header><main${lang}>${n.clauses.map(section).join('\n')}</main>`;
  return htmlPage({ title, body, style: STYLE });
}

export interface IndexEntry {
  id: string;
  title: string | null;
  region: string | null;
  date: string | null;
  url: string;
}

/** The notices, titles in Simplified characters; a title published otherwise is shown as published below it. */
export function renderNoticeIndex(list: readonly IndexEntry[]): string {
  const items = list
    .map((n) => {
      const title = n.title ?? n.id;
      const simplified = toSimplified(title);
      const original = simplified === title ? '' : `<span class="original"${hant(title)}>原文：${escapeHtml(title)}</span>`;
      const about = [n.region, n.date].filter(Boolean).join(' · ');
      return `<li><a href="${escapeHtml(n.url)}">${escapeHtml(simplified)}</a>${about ? `<span class="about">${escapeHtml(about)}</span>` : ''}${original}</li>`;
    })
    .join('\n');
  const body = `<header><h1>医保通知</h1><p>共 ${list.length} 份。标题以简体字列出；以繁体发布的，其下注明原文标题。</p></header>
<main><ul class="notices">${items}</ul></main>`;
  return htmlPage({ title: '医保通知', body, style: STYLE });
}

/** What a browser gets for a notice id that does not exist (404): the same look, in Chinese, and the way back. */
export function renderNoticeNotFound(id: string, code: string): string {
  const body = `<header>${BACK}<h1>未找到这份通知</h1></header>
<main><p>没有编号为 <code>${escapeHtml(id)}</code> 的通知：链接可能有误，或者这份通知已经撤下。</p>
<p><a href="/notices">查看全部通知</a></p>
<p><small>错误代码 ${escapeHtml(code)} · HTTP 404</small></p></main>`;
  return htmlPage({ title: '未找到通知', body, style: STYLE });
}
