import { foldWidth } from '../ingest/normalize.js';

/** Mainland mobile: 1[3-9] and nine digits, after an optional +86 / 86 country code. */
const MOBILE = /^(?:\+?86)?(1[3-9]\d{9})$/;
/** Landline: area code 0XX or 0XXX (not 00…, an international prefix) and a 7–8 digit number. */
const AREA = /^0[1-9]\d{1,2}$/;
const NUMBER = /^\d{7,8}$/;
const LANDLINE = /^0[1-9]\d{1,2}\d{7,8}$/;
const EXTENSION = /^\d{1,6}$/;
/** Hyphens and dashes people type between digit groups. */
const DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63]/g;
/** Words and brackets that only separate groups: `(0471)6970828`, `0471-6970828转123`. */
const SEPARATOR_WORDS = /[()]|转|分机|ext\.?/gi;
const MAX_INPUT = 40;

/**
 * A callback phone number in canonical form, or null when it is neither a mainland mobile number nor a
 * landline with area code. Full-width digits and signs are folded; spaces and dashes between digit
 * groups are allowed. Mobiles come back as their 11 digits (`13812345678`, country code dropped);
 * landlines as area code and number in digits (`04716970828`), with `-extension` when a last group
 * was given that the number is complete without (`0471-6970828-123` → `04716970828-123`).
 */
export function normalizePhone(input: string): string | null {
  if (input.length > MAX_INPUT) return null;
  const text = foldWidth(input).replace(DASHES, '-').replace(SEPARATOR_WORDS, ' ').trim();
  if (!/^\+?[\d\s-]+$/.test(text)) return null;
  const groups = text.split(/[\s-]+/).filter((g) => g !== '');
  const mobile = MOBILE.exec(groups.join(''));
  if (mobile) return mobile[1] as string;
  if (text.startsWith('+')) return null;
  const last = groups.at(-1) ?? '';
  const main = landline(groups.slice(0, -1));
  if (main !== null && EXTENSION.test(last)) return `${main}-${last}`;
  return landline(groups);
}

/** Area code and number in digits; a first group shaped like an area code is taken as one. */
function landline(groups: readonly string[]): string | null {
  const [first = '', ...rest] = groups;
  if (rest.length > 0 && AREA.test(first)) return NUMBER.test(rest.join('')) ? first + rest.join('') : null;
  const whole = groups.join('');
  return LANDLINE.test(whole) ? whole : null;
}
