import { matchForm } from '../../ingest/normalize.js';
import type { Notice } from '../../ingest/notice.js';
import type { Clause } from '../../ingest/structure.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const STYLE = `
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.8;color:#1d1d1f}
header p{margin:.2rem 0;color:#555}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:1rem 0;color:#333}
.meta dt{color:#777}
.note{background:#fff7e6;border-left:4px solid #f0a020;padding:.6rem 1rem;margin:1rem 0}
section{scroll-margin-top:1rem;padding:.2rem .6rem;border-left:3px solid transparent}
section:target{background:#eef6ff;border-left-color:#2a7ae2}
section p{margin:.3rem 0;white-space:pre-wrap}
section.depth-2{margin-left:1.5rem}section.depth-3{margin-left:3rem}section.depth-4{margin-left:4.5rem}
section.signature{text-align:right;color:#555}
section.attachment{color:#444;font-size:.95em;border-top:1px dashed #ccc;margin-top:1rem}
a.anchor{color:#aaa;text-decoration:none;font-size:.8em;margin-left:.4rem}
`;

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

/** A notice as a readable page, faithful to its wording, with an anchor per clause (`#五`, `#三.六`). */
export function renderNoticePage(n: Notice): string {
  const m = n.meta;
  const title = m.title ?? n.id;
  const titleForm = matchForm(title);
  const letterhead = n.header.filter((h) => !titleForm.includes(matchForm(h)));
  const meta: [string, string | null][] = [
    ['发布机关', m.authority],
    ['文号', m.docNumber],
    ['日期', m.dateText ?? m.date],
    ['地区', m.region],
  ];
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header>${letterhead.map((h) => `<p>${escapeHtml(h)}</p>`).join('')}<h1>${escapeHtml(title)}</h1>
<dl class="meta">${meta
    .filter(([, v]) => v)
    .map(([k, v]) => `<dt>${k}</dt><dd>${escapeHtml(v as string)}</dd>`)
    .join('')}</dl>
<p class="note" role="note">本文件发布于 ${escapeHtml(m.date ?? '日期不详')}，所载多为新冠疫情期间的临时性措施，现行规定请以医保部门最新公布为准。</p>
</header><main>${n.clauses.map(section).join('\n')}</main></body></html>`;
}
