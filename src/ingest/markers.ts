import { CN_NUMERAL, parseNumber } from './numerals.js';

/** The kinds of item marker notices use, from the outermost level in. */
export type MarkerKind = 'chapter' | 'section' | 'article' | 'heading' | 'cn-dun' | 'cn-paren' | 'num' | 'num-paren' | 'circled' | 'cn-shi';

export interface Marker {
  kind: MarkerKind;
  /** Nesting order: a smaller rank is an outer level. */
  rank: number;
  ordinal: number;
  /** The label used in clause ids: 五, 六, 12, 第三条. */
  label: string;
  /** Length of the marker as written (`（六）`, `1．`, `一是`), to find the text after it. */
  length: number;
}

const N = CN_NUMERAL;
const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

/** Patterns run on match form, where `（）．` are already folded to `().`. */
const PATTERNS: { kind: MarkerKind; re: RegExp; label: (n: string) => string }[] = [
  { kind: 'chapter', re: new RegExp(`^第(${N}+|\\d+)章\\s*`), label: (n) => `第${n}章` },
  { kind: 'section', re: new RegExp(`^第(${N}+|\\d+)节\\s*`), label: (n) => `第${n}节` },
  { kind: 'article', re: new RegExp(`^第(${N}+|\\d+)条\\s*`), label: (n) => `第${n}条` },
  { kind: 'cn-dun', re: new RegExp(`^(${N}{1,3})\\s*[、.](?!\\d)\\s*`), label: (n) => n },
  { kind: 'cn-paren', re: new RegExp(`^\\((${N}{1,3})\\)\\s*[、.]?\\s*`), label: (n) => n },
  { kind: 'num', re: /^(\d{1,3})\s*(?:、|\.(?!\d)|\)(?!\d))\s*/, label: (n) => n },
  { kind: 'num-paren', re: /^\((\d{1,3})\)\s*/, label: (n) => n },
  { kind: 'circled', re: new RegExp(`^([${CIRCLED}])\\s*`), label: (n) => String(CIRCLED.indexOf(n) + 1) },
  { kind: 'cn-shi', re: new RegExp(`^(${N}{1,2})是(?=[\\u4e00-\\u9fa5“"《])`), label: (n) => n },
];

/** Nesting order of the kinds: a smaller rank is an outer level. */
export const MARKER_RANK: Readonly<Record<MarkerKind, number>> = {
  chapter: 0,
  section: 1,
  article: 2,
  heading: 3,
  'cn-dun': 4,
  'cn-paren': 5,
  num: 6,
  'num-paren': 7,
  circled: 8,
  'cn-shi': 9,
};

/** The item marker a paragraph (in match form) starts with, if any. */
export function markerAt(norm: string): Marker | null {
  for (const p of PATTERNS) {
    const m = p.re.exec(norm);
    if (!m?.[1]) continue;
    const ordinal = p.kind === 'circled' ? CIRCLED.indexOf(m[1]) + 1 : parseNumber(m[1]);
    if (ordinal === null || ordinal <= 0) continue;
    return { kind: p.kind, rank: MARKER_RANK[p.kind], ordinal, label: p.label(m[1]), length: m[0].length };
  }
  return null;
}

/** Markers that number a notice's items; `一是…二是…` enumerations inside an item are not among them. */
export function isNumbering(m: Marker | null): boolean {
  return m !== null && m.kind !== 'cn-shi' && m.kind !== 'heading';
}

/** Characters after which an item may start in the middle of a paragraph. */
const INLINE_BOUNDARY = /[。;:!?]/;
const INLINE_BOUNDARY_SHI = /[。;:!?,]/;

/**
 * Items that start in the middle of a paragraph (`…如下:一、… 。二、…`, `…一是…;二是…`): a marker
 * after sentence punctuation counts when the paragraph holds a run of them in order (or it continues
 * the count of the items before), so a stray `2.` in a sentence is not taken for an item.
 */
export function inlineMarkers(norm: string, previous: Map<MarkerKind, number>): { at: number; marker: Marker }[] {
  const found: { at: number; marker: Marker }[] = [];
  for (let i = 1; i < norm.length; i++) {
    const before = norm[i - 1] ?? '';
    if (!INLINE_BOUNDARY_SHI.test(before)) continue;
    const at = norm[i] === ' ' ? i + 1 : i;
    const marker = markerAt(norm.slice(at));
    if (!marker || marker.kind === 'chapter' || marker.kind === 'section') continue;
    if (marker.kind !== 'cn-shi' && !INLINE_BOUNDARY.test(before)) continue;
    found.push({ at, marker });
  }
  const accepted: { at: number; marker: Marker }[] = [];
  for (const kind of new Set(found.map((f) => f.marker.kind))) {
    const ofKind = found.filter((f) => f.marker.kind === kind);
    const run: { at: number; marker: Marker }[] = [];
    let expected = (previous.get(kind) ?? 0) + 1;
    for (const f of ofKind) {
      if (f.marker.ordinal === expected || (run.length === 0 && f.marker.ordinal === 1)) {
        run.push(f);
        expected = f.marker.ordinal + 1;
      }
    }
    const continues = run[0] !== undefined && run[0].marker.ordinal === (previous.get(kind) ?? 0) + 1 && previous.has(kind);
    if (run.length >= 2 || continues) accepted.push(...run);
  }
  return accepted.sort((a, b) => a.at - b.at);
}
