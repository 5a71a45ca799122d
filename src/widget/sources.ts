import { el } from './dom.js';
import type { Labels } from './labels.js';
import type { Citation } from './types.js';

const otherLang = (lang: string) => (lang === 'zh-Hant' ? 'zh-Hans' : 'zh-Hant');

/**
 * A reply's sources, folded: each notice's title, clause and date linking to the clause, and the quote as
 * published; when the notice is in the other script, a 简体/繁體 toggle shows the quote in the asker's.
 */
export function sourcesList(citations: readonly Citation[], L: Labels, origin: string): HTMLDetailsElement | null {
  if (citations.length === 0) return null;
  const details = el('details');
  details.append(el('summary', {}, L.sources(citations.length)));
  for (const c of citations) {
    const link = el(
      'a',
      { href: new URL(c.url, origin).href, target: '_blank', rel: 'noopener' },
      `${c.title ?? c.notice} · ${c.clause}${c.date ? ` · ${c.date}` : ''}`,
    );
    const quote = el('blockquote', {}, c.quote);
    details.append(link, quote);
    const reader = c.readerQuote;
    if (reader && reader !== c.quote) {
      // Published in the other script than the asker's.
      quote.lang = otherLang(L.lang);
      const toggle = el('button', { type: 'button', class: 'script', 'aria-pressed': 'false', title: L.readerScriptTitle }, L.readerScript);
      toggle.addEventListener('click', () => {
        const on = toggle.getAttribute('aria-pressed') !== 'true';
        toggle.setAttribute('aria-pressed', String(on));
        quote.textContent = on ? reader : c.quote;
        quote.lang = on ? L.lang : otherLang(L.lang);
      });
      details.append(toggle);
    }
  }
  return details;
}
