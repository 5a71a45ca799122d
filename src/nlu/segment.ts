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

function keep(w: string): boolean {
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

/** Content words for retrieval (jieba's search mode: long words and the words inside them). */
export function searchWords(norm: string): string[] {
  return jieba.cutForSearch(norm).filter(keep);
}

/** jieba's words of a normalized text (precise mode, nothing left out), in order. */
export function tokens(norm: string): readonly string[] {
  return cut(norm);
}
