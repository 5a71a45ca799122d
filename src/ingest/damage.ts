/** A sequence the build suspects was damaged in transcoding (mojibake), for an editor to repair. */
export interface Damage {
  /** Offset in the clean text. */
  offset: number;
  /** The suspicious characters with a little context either side, as they stand in the clean text. */
  context: string;
  reason: string;
}

const CJK = '[\\u3400-\\u9fff]';
const RULES: { re: RegExp; reason: string }[] = [
  { re: /\ufffd+/g, reason: 'replacement character' },
  { re: /[\u3100-\u312f\u31a0-\u31bf]+/g, reason: 'bopomofo inside running text' },
  { re: /[\ue000-\uf8ff]+/g, reason: 'private-use character' },
  { re: new RegExp(`(?<=${CJK})\\?+(?=[^\\s?!。，；：）)])`, 'g'), reason: 'question mark inside a word' },
  { re: new RegExp(`(?<=${CJK})[A-Za-z](?=${CJK})(?![超光线型类级])`, 'g'), reason: 'lone Latin letter between Chinese characters' },
  { re: /[\u0080-\u009f]+/g, reason: 'C1 control character' },
  { re: /(?<![\u3400-\u9fff])\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)/g, reason: 'pinyin annotation after a damaged character' },
];

/** Find sequences that look like mojibake; overlapping findings are merged into one. */
export function findDamage(text: string, context = 3): Damage[] {
  const hits: { start: number; end: number; reason: string }[] = [];
  for (const { re, reason } of RULES) {
    for (const m of text.matchAll(re)) hits.push({ start: m.index, end: m.index + m[0].length, reason });
  }
  hits.sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number; reasons: Set<string> }[] = [];
  for (const h of hits) {
    const last = merged.at(-1);
    if (last && h.start <= last.end + context) {
      last.end = Math.max(last.end, h.end);
      last.reasons.add(h.reason);
    } else merged.push({ start: h.start, end: h.end, reasons: new Set([h.reason]) });
  }
  return merged.map((m) => ({
    offset: m.start,
    context: text.slice(Math.max(0, m.start - context), Math.min(text.length, m.end + context)),
    reason: [...m.reasons].join('; '),
  }));
}
