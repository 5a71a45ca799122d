import { readFile } from 'node:fs/promises';
import jieba from 'nodejieba';
import { sortedIndexOf } from './sorted.js';

/** nodejieba exports the paths of its bundled dictionaries; its type declarations omit them. */
const bundled = jieba as unknown as { DEFAULT_DICT: string; DEFAULT_IDF_DICT: string };

/**
 * What jieba's bundled dictionaries say about the words around place names, read once: whether a bare
 * name is an ordinary word (和平, 东方, 延长), which longer words contain a name without naming the
 * place (太平洋, 三明治, 复合肥), which common words can straddle a name's edge (全市|中小 around 市中).
 * Every threshold is here, named.
 */
export const LEXICON_RULES = {
  /** A bare county name is an ordinary word when its IDF is below this, whatever jieba's tag (新建, 平原). */
  ordinaryIdf: 7.5,
  /** … or below this when jieba does not tag it as a place name `ns` (会同, 公安, 延长, 合作). */
  ordinaryIdfUntagged: 8.35,
  /** A full name in 区 is generic (城区, 矿区, 开发区) when jieba has it as a non-place word below this IDF. */
  genericIdf: 10,
  /** Words that may straddle a county name's edge: two or three characters, at least this frequent. */
  crossingMinFreq: 100,
  /** A containing word adds at most this many characters to the name it contains. */
  containingExtra: 3,
  /** Dictionary words rarer than this are noise for containment. */
  containingMinFreq: 3,
} as const;

/** After a name, one character that keeps it a mention of the place: 宁波人, 上海籍, 海南岛, 北京站. */
const NAMING_SUFFIX = new Set([...'人籍城港站队岛湾话府网地方市省区县州盟旗']);
/** Tags of compounds that still name the place: organisations (北京大学) and places in it (北京西站). */
const NAMING_TAGS = new Set(['nt', 'ns']);
const PLACE_TAG = 'ns';

export interface WordInfo {
  freq: number;
  tag: string;
  idf: number | null;
}

/** Text around a name that makes it part of another word: `pre` before it, `post` after it. */
export interface WordContext {
  pre: string;
  post: string;
  word: string;
}

export interface Lexicon {
  /** What jieba says about a word that was asked for (`lookups`), or undefined. */
  info(word: string): WordInfo | undefined;
  /** Longer words in which `form` does not name a place (太平洋 for 太平). */
  containing(form: string): readonly WordContext[];
  /** Common words of two or three characters, for edge-straddling tests. */
  isCommonWord(word: string): boolean;
  /** What it knows, as plain data (kept in the build cache, read back with `lexiconOf`). */
  readonly data: LexiconData;
}

/** A lexicon's contents. */
export interface LexiconData {
  info: Map<string, WordInfo>;
  containing: Map<string, WordContext[]>;
  /** The common words, sorted by UTF-16 code units (29,000 of them: an array bisected, not a Set). */
  common: readonly string[];
}

/** The lexicon over its data. */
export function lexiconOf(data: LexiconData): Lexicon {
  const none: readonly WordContext[] = [];
  return {
    info: (word) => data.info.get(word),
    containing: (form) => data.containing.get(form) ?? none,
    isCommonWord: (word) => sortedIndexOf(data.common, word) >= 0,
    data,
  };
}

function lines(text: string, each: (line: string) => void): void {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start) each(text.slice(start, end));
    start = end + 1;
  }
}

/**
 * Read jieba's dictionary and IDF table once, keeping only what concerns the given names: `lookups`
 * (words whose tag and IDF are wanted) and `forms` (names whose containing words are wanted).
 */
export async function readLexicon(lookups: Iterable<string>, forms: Iterable<string>): Promise<Lexicon> {
  const [dictText, idfText] = await Promise.all([readFile(bundled.DEFAULT_DICT, 'utf8'), readFile(bundled.DEFAULT_IDF_DICT, 'utf8')]);
  const wanted = new Set(lookups);
  const info = new Map<string, WordInfo>();
  const common = new Set<string>();
  const byHead = new Map<string, string[]>();
  for (const f of new Set(forms)) {
    if (f.length < 2) continue;
    const head = f.slice(0, 2);
    byHead.set(head, [...(byHead.get(head) ?? []), f]);
  }
  const firstChars = new Set([...byHead.keys()].map((h) => h.charCodeAt(0)));
  const containing = new Map<string, WordContext[]>();

  lines(dictText, (line) => {
    const a = line.indexOf(' ');
    const b = line.indexOf(' ', a + 1);
    if (a <= 0 || b < 0) return;
    const word = line.slice(0, a);
    const freq = Number(line.slice(a + 1, b));
    const tag = line.slice(b + 1).trim();
    if (wanted.has(word)) info.set(word, { freq, tag, idf: null });
    if (word.length >= 2 && word.length <= 3 && freq >= LEXICON_RULES.crossingMinFreq) common.add(word);
    if (word.length < 3 || freq < LEXICON_RULES.containingMinFreq) return;
    for (let at = 0; at < word.length - 1; at++) {
      if (!firstChars.has(word.charCodeAt(at))) continue;
      for (const form of byHead.get(word.slice(at, at + 2)) ?? []) {
        if (form.length >= word.length || !word.startsWith(form, at)) continue;
        if (word.length - form.length > LEXICON_RULES.containingExtra) continue;
        const pre = word.slice(0, at);
        const post = word.slice(at + form.length);
        if (stillNames(pre, post, tag)) continue;
        containing.set(form, [...(containing.get(form) ?? []), { pre, post, word }]);
      }
    }
  });
  lines(idfText, (line) => {
    const a = line.indexOf(' ');
    if (a <= 0) return;
    const entry = info.get(line.slice(0, a));
    if (entry) entry.idf = Number(line.slice(a + 1));
  });

  return lexiconOf({ info, containing, common: [...common].sort() });
}

/** A compound that begins with the name and still names the place: 宁波人, 北京大学, 上海浦东. */
function stillNames(pre: string, post: string, tag: string): boolean {
  if (pre !== '') return false;
  if (post.length === 1) return NAMING_SUFFIX.has(post);
  return NAMING_TAGS.has(tag);
}

/** A bare county name that is an ordinary word first (和平, 东方, 城中, 红旗, 平安, 新华). */
export function isOrdinaryWord(word: WordInfo | undefined): boolean {
  if (!word || word.idf === null) return false;
  if (word.idf < LEXICON_RULES.ordinaryIdf) return true;
  return word.tag !== PLACE_TAG && word.idf < LEXICON_RULES.ordinaryIdfUntagged;
}

/** A full name that is a common noun (城区, 郊区, 矿区, 开发区, 东区): generic, never a mention by itself. */
export function isGenericFullName(fullName: string, word: WordInfo | undefined): boolean {
  if (!fullName.endsWith('区')) return false;
  if (fullName.length <= 2) return true;
  return word !== undefined && word.tag !== PLACE_TAG && word.idf !== null && word.idf < LEXICON_RULES.genericIdf;
}
