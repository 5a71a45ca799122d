const DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  兩: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** Characters that can make up a Chinese numeral up to the thousands. */
export const CN_NUMERAL = '[零〇一二两兩三四五六七八九十百千]';

/** `十二` → 12, `二十一` → 21, `一百零五` → 105, `3` → 3; null when it is not a number. */
export function parseNumber(text: string): number | null {
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
  if (text === '' || !/^[零〇一二两兩三四五六七八九十百千]+$/.test(text)) return null;
  let total = 0;
  let digit = 0;
  let sawUnit = false;
  for (const ch of text) {
    if (ch in DIGIT) {
      digit = DIGIT[ch] as number;
    } else {
      const unit = UNIT[ch] as number;
      total += (digit === 0 ? 1 : digit) * unit;
      digit = 0;
      sawUnit = true;
    }
  }
  total += digit;
  return sawUnit || text.length === 1 ? total : digitsAsWritten(text);
}

/** `二〇二〇` written digit by digit. */
function digitsAsWritten(text: string): number | null {
  let out = '';
  for (const ch of text) {
    const d = DIGIT[ch];
    if (d === undefined) return null;
    out += String(d);
  }
  return Number(out);
}
