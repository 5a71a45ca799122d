import { LRUCache } from 'lru-cache';
import jieba from 'nodejieba';
import type { JiebaDictionaries } from './dictionary.js';

/** Words that carry no topic: particles, pronouns, question words, politeness. */
const STOPWORDS = new Set(
  (
    '的 了 吗 呢 吧 啊 呀 么 嘛 哦 哈 是 在 有 和 与 及 或 等 也 都 就 还 又 要 会 能 可 可以 能否 能不能 可不可以 是否 ' +
    '怎么 怎么样 怎样 如何 什么 啥 多少 几 哪 哪里 哪些 哪个 为什么 请问 请 您 你 我 我们 他 她 它 他们 这 那 这个 那个 ' +
    '一下 一些 一点 现在 目前 想 想问 问 问一下 知道 告诉 麻烦 谢谢 好 吗? 呢? 个 把 被 让 给 对 从 到 于 以 之 其 该 此 ' +
    '如果 因为 所以 但是 而且 然后 时候 已经 不 没 没有 不是 多 多久 一个 怎么办 办 咋 咋办'
  ).split(/\s+/),
);

let loaded: string | null = null;

/** Load jieba's dictionaries (default ones unless given) with the domain user dictionary, once per process. */
export function loadSegmenter(userDict: string, dictionaries?: JiebaDictionaries): void {
  const key = JSON.stringify({ userDict, ...dictionaries });
  if (loaded === key) return;
  if (loaded !== null) throw new Error(`jieba is already loaded with ${loaded}`);
  jieba.load({ userDict, ...dictionaries });
  loaded = key;
}

/** jieba's precise cut of the last text cut: a question is cut for its place names and for its words alike. */
let lastCut: { norm: string; words: string[] } = { norm: '', words: [] };

function cut(norm: string): string[] {
  if (lastCut.norm !== norm) lastCut = { norm, words: jieba.cut(norm) };
  return lastCut.words;
}

/** Whether a word carries content: not blank, not punctuation or symbols, not a stop word. */
export function keep(w: string): boolean {
  return w.trim() !== '' && !/^[\p{P}\p{S}\s]+$/u.test(w) && !STOPWORDS.has(w);
}

/** Content words of a normalized text (jieba's precise mode). */
export function words(norm: string): string[] {
  return cut(norm).filter(keep);
}

/**
 * Content words of a normalized text and its content runs: stretches of consecutive content words, broken
 * by filler, punctuation and the words `leaveOut` names (place names), for character-level matching.
 */
export function wordsAndRuns(norm: string, leaveOut?: (word: string) => boolean): { words: string[]; runs: string[][] } {
  const out: string[] = [];
  const runs: string[][] = [];
  let run: string[] = [];
  const close = () => {
    if (run.length > 0) runs.push(run);
    run = [];
  };
  for (const w of cut(norm)) {
    if (!keep(w)) {
      close();
      continue;
    }
    out.push(w);
    if (leaveOut?.(w)) close();
    else run.push(w);
  }
  close();
  return { words: out, runs };
}

/**
 * The dictionary words of two and of three characters inside a word, as jieba's search mode adds them before
 * it (cppjieba's QuerySegment: inside a word of more than two characters, its two-character substrings that
 * are dictionary words, then, in one of more than three, its three-character ones). They depend on the word
 * alone, so they are found once per word — the dictionary asked through `cutAll`, which lists every dictionary
 * word in its input — and kept, a bounded number of words (issue 14: the search-mode cut was a second
 * segmentation of every question).
 */
const inside = new LRUCache<string, readonly string[]>({ max: 20_000 });
const NONE: readonly string[] = [];

function wordsInside(word: string): readonly string[] {
  if (word.length <= 2) return NONE;
  let found = inside.get(word);
  if (found) return found;
  // By character (cppjieba counts code points), not UTF-16 unit.
  const chars = Array.from(word);
  if (chars.length <= 2) return NONE;
  const known = new Set<string>(jieba.cutAll(word));
  const out: string[] = [];
  for (const n of [2, 3])
    if (chars.length > n)
      for (let i = 0; i + n <= chars.length; i++) {
        const sub = chars.slice(i, i + n).join('');
        if (known.has(sub)) out.push(sub);
      }
  found = out.length > 0 ? out : NONE;
  inside.set(word, found);
  return found;
}

/**
 * Content words for retrieval: jieba's search mode (`cutForSearch`: each word of the precise cut, after the
 * shorter dictionary words inside it), from the precise cut already made.
 */
export function searchWords(norm: string): string[] {
  const out: string[] = [];
  for (const w of cut(norm)) {
    for (const sub of wordsInside(w)) if (keep(sub)) out.push(sub);
    if (keep(w)) out.push(w);
  }
  return out;
}

/** jieba's words of a normalized text (precise mode, nothing left out), in order. */
export function tokens(norm: string): readonly string[] {
  return cut(norm);
}
