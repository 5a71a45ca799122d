import { normalizePhone } from './handoff/phone.js';
import { foldWidth } from './ingest/normalize.js';

/**
 * Stretches of text that may be a number someone could be found by: digits (half- or full-width) with the
 * spaces, dashes, brackets and `+` people write between their groups.
 */
const CANDIDATE = /[+＋]?[(（]?[0-9０-９][0-9０-９ \u3000\-－()（）]{5,28}[0-9０-９XxＸｘ]/g;
/** An ID-card number: 18 characters (the last may be X) or the old 15 digits, with a plausible birth date. */
const ID_18 = /^\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]$/;
const ID_15 = /^\d{6}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}$/;

/**
 * Citizen text with ID-card and phone numbers masked, for logs: however they are written (`+86 139…`,
 * `136 1234 5678`, `(0472)6970829`, full-width digits), read with the same rules as a callback number
 * (handoff/phone.ts). What is neither stays as it is.
 */
export function redact(text: string): string {
  return text.replace(CANDIDATE, (span) => {
    const digits = foldWidth(span)
      .toUpperCase()
      .replace(/[^\dX]/g, '');
    if (ID_18.test(digits) || ID_15.test(digits)) return mask(digits, 3, 2);
    const phone = normalizePhone(span.trim());
    if (phone === null) return span;
    const main = phone.split('-')[0] as string;
    return main.startsWith('1') ? mask(main, 3, 4) : `${main.slice(0, 4)}****${main.slice(-2)}`;
  });
}

function mask(digits: string, keepStart: number, keepEnd: number): string {
  return `${digits.slice(0, keepStart)}${'*'.repeat(Math.max(4, digits.length - keepStart - keepEnd))}${digits.slice(-keepEnd)}`;
}
