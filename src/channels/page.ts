/**
 * The look the server-rendered pages share (notices, their index, the notice 404, the WebSocket API page):
 * one small stylesheet, readable on a phone, every text colour at least 4.5:1 on its background (WCAG AA),
 * long unbroken text (URLs, numbers) wrapped instead of scrolling the page sideways.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Colours, with their contrast on white: text 16.9:1, muted 7.0:1, links 6.4:1. */
export const COLOURS = { text: '#1d1d1f', muted: '#595959', link: '#0b57d0' } as const;

const BASE_STYLE = `
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.8;color:${COLOURS.text};background:#fff;overflow-wrap:anywhere}
a{color:${COLOURS.link}}
.muted,small{color:${COLOURS.muted}}
pre,code{font-family:ui-monospace,"Noto Sans Mono CJK SC",monospace;font-size:.9em}
pre{white-space:pre-wrap;background:#f5f5f7;padding:.6rem .8rem;border-radius:4px}
`;

export interface PageOptions {
  title: string;
  body: string;
  /** The page's language (`zh-CN` unless said). */
  lang?: string;
  /** Styles of this page, after the shared ones. */
  style?: string;
}

/** A whole HTML page in the shared look. */
export function htmlPage({ title, body, lang = 'zh-CN', style = '' }: PageOptions): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${BASE_STYLE}${style}</style></head>
<body>${body}</body></html>`;
}
