import { LRUCache } from 'lru-cache';
import { converter, openccConfig } from './opencc.js';

/** Traditional → Simplified (OpenCC's standard Traditional to mainland Simplified), built on first use. */
let t2sConvert: ((text: string) => string) | null = null;

function t2s(text: string): string {
  t2sConvert ??= converter('t2s');
  return t2sConvert(text);
}

/**
 * Simplified → Traditional (Taiwan standard: OpenCC's `cn` → `tw`), for replying in the script the user
 * wrote in. Built on first use: about 10 MB and 50 ms (opencc-js's own tables took 40 MB).
 */
let s2t: ((text: string) => string) | null = null;

/**
 * Convert to Simplified keeping the string's length, so that an offset in the converted text is the
 * same offset in the source. OpenCC converts phrases; where a phrase would change the length, the line
 * is converted character by character instead.
 */
export function toSimplified(text: string): string {
  if (!mayChange(text)) return text;
  let out = simplified.get(text);
  if (out === undefined) {
    out = simplify(text);
    simplified.set(text, out);
  }
  return out;
}

/**
 * The characters Traditional → Simplified conversion can change: those its character tables map to another,
 * and those a phrase of its tables writes otherwise (every character of a phrase that changes length). A
 * text with none of them comes out of the conversion as it went in, so it is not converted at all — most
 * questions are Simplified (issue 14). Worked out once from OpenCC's own tables, about 4,000 characters.
 */
let changeable: { bmp: Uint8Array; astral: Set<number> } | null = null;

/** Whether Traditional → Simplified conversion could change the text (false: it certainly would not). */
export function mayChange(text: string): boolean {
  changeable ??= changeableCharacters();
  const { bmp, astral } = changeable;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x2e80) continue;
    if (code >= 0xd800 && code <= 0xdbff) {
      const point = text.codePointAt(i) as number;
      if (astral.has(point)) return true;
      i++;
    } else if (bmp[code] === 1) return true;
  }
  return false;
}

function changeableCharacters(): { bmp: Uint8Array; astral: Set<number> } {
  const bmp = new Uint8Array(0x10000);
  const astral = new Set<number>();
  const mark = (ch: string) => {
    const point = ch.codePointAt(0) as number;
    if (point > 0xffff) astral.add(point);
    else bmp[point] = 1;
  };
  const config = openccConfig('t2s') as { normalizationChain?: unknown[][]; conversionChain: unknown[][] };
  for (const group of [...(config.normalizationChain ?? []), ...config.conversionChain])
    for (const dictionary of group) {
      const entries = typeof dictionary === 'string' ? dictionary.split('|').map((e) => e.split(' ')) : (dictionary as string[][]);
      for (const [from = '', to = ''] of entries) {
        const a = [...from];
        const b = [...to];
        if (a.length !== b.length) for (const ch of a) mark(ch);
        else for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) mark(a[i] as string);
      }
    }
  return { bmp, astral };
}

/**
 * Conversions already made: replies are built from the same quotes, sources and reminders over and over,
 * and OpenCC's phrase matching costs about a millisecond for a reply. Bounded: lines, not conversations.
 */
const simplified = new LRUCache<string, string>({ max: 4096 });
const traditional = new LRUCache<string, string>({ max: 4096 });

function simplify(text: string): string {
  const whole = t2s(text);
  if (whole.length === text.length) return whole;
  return text
    .split('\n')
    .map((line) => {
      const converted = t2s(line);
      if (converted.length === line.length) return converted;
      let out = '';
      for (const ch of line) {
        const c = t2s(ch);
        out += c.length === ch.length ? c : ch;
      }
      return out;
    })
    .join('\n');
}

/** Simplified → Traditional, line by line (a reply's lines recur: its source, its reminder, a quote). */
export function toTraditional(text: string): string {
  s2t ??= converter('s2tw');
  const convert = s2t;
  return text
    .split('\n')
    .map((line) => {
      let out = traditional.get(line);
      if (out === undefined) {
        out = convert(line);
        traditional.set(line, out);
      }
      return out;
    })
    .join('\n');
}

/** Share of CJK characters that Traditional → Simplified conversion changes. */
export function traditionalShare(text: string): number {
  const simplified = toSimplified(text);
  let cjk = 0;
  let changed = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x4e00 || code > 0x9fff) continue;
    cjk++;
    if (simplified[i] !== text[i]) changed++;
  }
  return cjk === 0 ? 0 : changed / cjk;
}

export type Script = 'simplified' | 'traditional' | 'mixed';

export function detectScript(text: string): Script {
  const share = traditionalShare(text);
  if (share >= 0.08) return 'traditional';
  if (share > 0) return 'mixed';
  return 'simplified';
}
