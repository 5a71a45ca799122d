import { el } from './dom.js';

const pad = (n: number) => String(n).padStart(2, '0');

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** When a line was said, in the reader's time zone: `14:05` today, `6月1日 14:05` another day, `2024年6月1日 14:05` another year. */
export function clock(at: number, now: number): string {
  const d = new Date(at);
  const today = new Date(now);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (sameDay(d, today)) return hm;
  const md = `${d.getMonth() + 1}月${d.getDate()}日 ${hm}`;
  return d.getFullYear() === today.getFullYear() ? md : `${d.getFullYear()}年${md}`;
}

/** `2025-06-01` (local). */
export function day(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `20250601-1405` (local), for file names. */
export function stamp(at: number): string {
  const d = new Date(at);
  return `${day(at).replaceAll('-', '')}-${pad(d.getHours())}${pad(d.getMinutes())}`;
}

/** `<time datetime="…Z">14:05</time>`. */
export function timeElement(at: number, now: number): HTMLTimeElement {
  return el('time', { datetime: new Date(at).toISOString() }, clock(at, now));
}
