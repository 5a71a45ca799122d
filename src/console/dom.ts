/** Small DOM helpers. Text goes in as text nodes or textContent: nothing here parses HTML. */

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Readonly<Record<string, string>> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

export function button(text: string, className: string, attrs: Readonly<Record<string, string>> = {}): HTMLButtonElement {
  return el('button', { type: 'button', class: className, ...attrs }, text);
}

/** A <select> of [value, label] pairs. */
export function select(options: ReadonlyArray<readonly [string, string]>, attrs: Readonly<Record<string, string>> = {}): HTMLSelectElement {
  const node = el('select', attrs);
  for (const [value, label] of options) node.append(el('option', { value }, label));
  return node;
}

/** Replaces a select's options, keeping the chosen value when it is still offered. */
export function setOptions(node: HTMLSelectElement, options: ReadonlyArray<readonly [string, string]>): void {
  const chosen = node.value;
  node.replaceChildren(...options.map(([value, label]) => el('option', { value }, label)));
  if (options.some(([value]) => value === chosen)) node.value = chosen;
}

/** `mm:ss` for a duration; minutes keep counting past 59. */
export function mmss(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

const TIME = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false });
const DATE_TIME = new Intl.DateTimeFormat('zh-CN', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

export function clock(at: number): string {
  return Number.isFinite(at) ? TIME.format(at) : '';
}

export function dateTime(at: number): string {
  return Number.isFinite(at) ? DATE_TIME.format(at) : '';
}

/** A <time> element showing `text`, machine-readable as the ISO instant. */
export function time(at: number, text: string): HTMLTimeElement {
  const node = el('time', {}, text);
  if (Number.isFinite(at)) node.dateTime = new Date(at).toISOString();
  return node;
}

/** An http(s) URL on this page's terms, or null for anything else (a `javascript:` link is never made). */
export function safeUrl(url: string): string | null {
  try {
    const u = new URL(url, location.origin);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** A link opening in a new tab, or plain text when the URL is not http(s). */
export function link(url: string, text: string, className = ''): HTMLElement {
  const href = safeUrl(url);
  if (!href) return el('span', className ? { class: className } : {}, text);
  return el('a', { href, target: '_blank', rel: 'noopener', ...(className ? { class: className } : {}) }, text);
}

/**
 * Before a list is rebuilt: remembers which button had focus, by the key attribute of its row and the
 * button's class; call the result afterwards to put focus back on its counterpart (or on `fallback`).
 */
export function keepFocus(container: HTMLElement, keyAttr: string, fallback?: HTMLElement): () => void {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !container.contains(active)) return () => {};
  const row = active.closest(`[${keyAttr}]`);
  const key = row?.getAttribute(keyAttr);
  const cls = active.classList[0];
  return () => {
    if (container.contains(document.activeElement)) return;
    const rows = [...container.querySelectorAll<HTMLElement>(`[${keyAttr}]`)];
    const again = rows.find((r) => r.getAttribute(keyAttr) === key);
    const target = again && cls ? again.querySelector<HTMLElement>(`.${CSS.escape(cls)}:not([disabled])`) : null;
    (target ?? fallback)?.focus();
  };
}
