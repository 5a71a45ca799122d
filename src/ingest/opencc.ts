import { createRequire } from 'node:module';
import { configs as toSimplified } from 'opencc-js/preset/t2cn';

/**
 * OpenCC's conversions (opencc-js's tables and algorithm) over compact tables. opencc-js builds a trie of
 * one Map per character of every phrase: its Simplified → Traditional tables take about 40 MB of heap and
 * half a second to build. Here a dictionary group is one Map from phrase to replacement, searched longest
 * first — the same longest match at each position, so the same output (a test compares them over the
 * notices, the replies and every phrase of the tables), in a tenth of the memory (issue 14).
 */

type DictLike = string | string[][];

export interface ConversionConfig {
  normalizationChain?: DictLike[][];
  segmentation?: DictLike | DictLike[];
  conversionChain: DictLike[][];
}

/** Each entry of a dictionary, in order: `from` and `to` of `from to|from to|…` (anything after a second space ignored). */
function eachEntry(dict: DictLike, each: (from: string, to: string) => void): void {
  if (typeof dict !== 'string') {
    for (const [from = '', to = ''] of dict) each(from, to);
    return;
  }
  for (let start = 0; start <= dict.length; ) {
    let end = dict.indexOf('|', start);
    if (end < 0) end = dict.length;
    const space = dict.indexOf(' ', start);
    if (space < 0 || space > end) throw new TypeError(`invalid OpenCC dictionary entry '${dict.slice(start, end)}'`);
    const second = dict.indexOf(' ', space + 1);
    each(dict.slice(start, space), dict.slice(space + 1, second < 0 || second > end ? end : second));
    start = end + 1;
  }
}

/** One dictionary group: where two of its dictionaries list a phrase, the first one's replacement is used. */
export class PhraseTable {
  private readonly phrases = new Map<string, string>();
  /** By first UTF-16 unit, the length of the longest phrase that starts with it (0: none). */
  private readonly longest = new Uint16Array(0x10000);
  /** By first two UTF-16 units, the length of the longest phrase of two or more that starts with them. */
  private readonly longestOf2 = new Map<string, number>();

  constructor(private readonly group: readonly DictLike[]) {
    for (const dict of [...group].reverse()) {
      eachEntry(dict, (from, to) => {
        if (from === '') return;
        this.phrases.set(from, to);
        const head = from.charCodeAt(0);
        if (from.length > (this.longest[head] as number)) this.longest[head] = Math.min(from.length, 0xffff);
        if (from.length >= 2) {
          const two = from.slice(0, 2);
          if (from.length > (this.longestOf2.get(two) ?? 0)) this.longestOf2.set(two, from.length);
        }
      });
    }
  }

  /** Where the longest phrase starting at `i` ends, or -1; phrases in `skip` are not phrases here. */
  private matchEnd(s: string, i: number, skip?: ReadonlySet<string>): number {
    let len = Math.min(this.longest[s.charCodeAt(i)] as number, s.length - i);
    if (len >= 2) len = Math.min(len, this.longestOf2.get(s.slice(i, i + 2)) ?? 1);
    for (; len > 0; len--) {
      const phrase = s.slice(i, i + len);
      if (this.phrases.has(phrase) && !skip?.has(phrase)) return i + len;
    }
    return -1;
  }

  /**
   * Segmentation by some of this group's dictionaries, on this table: its phrases less those that only the
   * group's other dictionaries list (opencc-js builds a second trie of the same phrases for it); null when
   * `dicts` are not all the group's.
   */
  segmenter(dicts: readonly DictLike[]): ((s: string) => string[]) | null {
    if (!dicts.every((d) => this.group.includes(d))) return null;
    const kept = new Set<string>();
    for (const dict of dicts) eachEntry(dict, (from) => kept.add(from));
    const skip = new Set<string>();
    for (const dict of this.group)
      if (!dicts.includes(dict))
        eachEntry(dict, (from) => {
          if (!kept.has(from)) skip.add(from);
        });
    return (s) => this.segment(s, skip);
  }

  /** The text cut at the phrases, longest first, with the text between them as pieces of their own. */
  segment(s: string, skip?: ReadonlySet<string>): string[] {
    const out: string[] = [];
    let pending = -1;
    for (let i = 0; i < s.length; ) {
      const end = this.matchEnd(s, i, skip);
      if (end > 0) {
        if (pending >= 0) out.push(s.slice(pending, i));
        pending = -1;
        out.push(s.slice(i, end));
        i = end;
      } else {
        if (pending < 0) pending = i;
        i += unmatchedLength(s, i);
      }
    }
    if (pending >= 0) out.push(s.slice(pending));
    return out;
  }

  /** The text with every phrase replaced, longest first, left to right. */
  convert(s: string): string {
    const out: string[] = [];
    let pending = -1;
    for (let i = 0; i < s.length; ) {
      const end = this.matchEnd(s, i);
      if (end > 0) {
        if (pending >= 0) out.push(s.slice(pending, i));
        pending = -1;
        out.push(this.phrases.get(s.slice(i, end)) as string);
        i = end;
      } else {
        if (pending < 0) pending = i;
        i += unmatchedLength(s, i);
      }
    }
    if (pending >= 0) out.push(s.slice(pending));
    return out.join('');
  }
}

function codePointLength(s: string, i: number): number {
  return (s.codePointAt(i) as number) > 0xffff ? 2 : 1;
}

/** Operands of an ideographic description character (⿰ ⿱ take two, ⿲ ⿳ three), as opencc-js reads them. */
function idsArity(point: number): number {
  if (point >= 0x2ff0 && point <= 0x2ff1) return 2;
  if (point >= 0x2ff2 && point <= 0x2ff3) return 3;
  if (point >= 0x2ff4 && point <= 0x2fff) return 2;
  return 0;
}

function idsEnd(s: string, i: number): number {
  const arity = idsArity(s.codePointAt(i) as number);
  if (arity === 0) return 0;
  let end = i + codePointLength(s, i);
  for (let n = 0; n < arity; n++) {
    if (end >= s.length) return 0;
    const child = idsEnd(s, end);
    end = child || end + codePointLength(s, end);
  }
  return end;
}

/** Text no phrase starts in is passed over a character at a time, an ideographic description sequence whole. */
function unmatchedLength(s: string, i: number): number {
  const end = idsEnd(s, i);
  return end > i ? end - i : codePointLength(s, i);
}

type Configs = Record<string, ConversionConfig | undefined>;

/**
 * An opencc-js config by name. Those to Simplified come from its small `t2cn` preset, loaded with this module;
 * those from Simplified from its `cn2t` bundle, 1 MB of tables, loaded (synchronously) the first time one is
 * asked for — a start that meets no Traditional question never reads it (issue 14).
 */
export function openccConfig(name: string): ConversionConfig | undefined {
  const config = (toSimplified as unknown as Configs)[name];
  if (config || !name.startsWith('s2')) return config;
  const cn2t = createRequire(import.meta.url)('opencc-js/cn2t') as { Locale: { configs: Configs } };
  return cn2t.Locale.configs[name];
}

/** OpenCC's conversion for a config of opencc-js's presets (`t2s`, `s2tw` …), as `OpenCC.Converter` runs it. */
export function converter(name: string): (text: string) => string {
  const config = openccConfig(name);
  if (!config) throw new Error(`OpenCC has no config '${name}'`);
  const normalization = (config.normalizationChain ?? []).map((group) => new PhraseTable(group));
  const chain = config.conversionChain.map((group) => new PhraseTable(group));
  const dicts = config.segmentation
    ? Array.isArray(config.segmentation) && config.segmentation.every((d) => typeof d === 'string')
      ? config.segmentation
      : [config.segmentation as DictLike]
    : null;
  let segment: ((s: string) => string[]) | null = null;
  if (dicts) {
    for (const table of chain) segment ??= table.segmenter(dicts);
    if (!segment) {
      const own = new PhraseTable(dicts);
      segment = (s) => own.segment(s);
    }
  }
  return (text) => {
    let s = text;
    for (const table of normalization) s = table.convert(s);
    let pieces = segment ? segment(s) : [s];
    for (const table of chain) pieces = pieces.map((p) => table.convert(p));
    return pieces.join('');
  };
}
