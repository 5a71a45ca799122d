import { el } from './dom.js';

/** Put text on the clipboard: the Clipboard API, or a selected textarea and `copy` where it is refused. */
export async function copyText(text: string, within: HTMLElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const before = (within.getRootNode() as ShadowRoot).activeElement as HTMLElement | null;
    const area = el('textarea', { readonly: '', class: 'offscreen', 'aria-hidden': 'true', tabindex: '-1' });
    area.value = text;
    within.append(area);
    area.select();
    let done = false;
    try {
      done = document.execCommand('copy');
    } catch {
      done = false;
    }
    area.remove();
    before?.focus();
    return done;
  }
}

/** Offer text as a `.txt` download (UTF-8 with a BOM, so older Windows editors read the Chinese). */
export function downloadText(text: string, filename: string, within: HTMLElement): void {
  const url = URL.createObjectURL(new Blob([`\ufeff${text}`], { type: 'text/plain;charset=utf-8' }));
  const a = el('a', { href: url, download: filename, hidden: '' });
  within.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
