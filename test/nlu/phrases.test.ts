import { describe, expect, it } from 'vitest';
import { holdsAny, PhraseFinder } from '../../src/nlu/phrases.js';
import { escapeRe } from '../../src/regex.js';

/** What the finder stands in for: the phrases alternated in one global regular expression, longest first. */
function byRegex(phrases: readonly string[], text: string): { phrase: string; index: number }[] {
  const sorted = [...new Set(phrases)].sort((a, b) => b.length - a.length).map(escapeRe);
  return [...text.matchAll(new RegExp(sorted.join('|'), 'g'))].map((m) => ({ phrase: m[0], index: m.index }));
}

describe('PhraseFinder', () => {
  it('finds the longest phrase at each position, left to right, not overlapping', () => {
    const f = new PhraseFinder(['门诊', '门诊慢性病', '慢性病', '病人', '医保']);
    expect(f.find('门诊慢性病人去医保')).toEqual([
      { phrase: '门诊慢性病', index: 0 },
      { phrase: '医保', index: 7 },
    ]);
    expect(f.find('慢性病人')).toEqual([{ phrase: '慢性病', index: 0 }]);
    expect(f.find('')).toEqual([]);
    expect(new PhraseFinder([]).find('门诊')).toEqual([]);
    expect(new PhraseFinder(['', '门诊']).find('门诊')).toEqual([{ phrase: '门诊', index: 0 }]);
  });

  it('finds what the alternation of its phrases finds, on random texts over their characters', () => {
    const phrases = ['门诊', '门诊特殊病', '特殊病', '殊病', '病备案', '备案', '(1)', 'a.b', '医', '医保卡', '保卡'];
    const alphabet = [...new Set(phrases.join(''))].concat(['x', '。']);
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    const finder = new PhraseFinder(phrases);
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: next() % 24 }, () => alphabet[next() % alphabet.length]).join('');
      expect(finder.find(text), text).toEqual(byRegex(phrases, text));
      expect(finder.has(text), text).toBe(phrases.some((p) => text.includes(p)));
    }
  });
});

describe('holdsAny', () => {
  const cues = ['电话', '号码', '多久', '比例', '(a+b)', '1.5倍'];

  it('says what phrases.some(includes) says, phrases with regex characters taken literally', () => {
    const texts = ['医保热线电话是多少', '报销比例', '能开多久的药', '门诊慢性病', '(a+b)', 'aab', '1x5倍', '1.5倍', ''];
    for (const t of texts) expect(holdsAny(t, cues), t).toBe(cues.some((c) => t.includes(c)));
  });

  it('holds nothing of an empty list, and keeps each list to its own phrases', () => {
    expect(holdsAny('电话', [])).toBe(false);
    expect(holdsAny('', [])).toBe(false);
    expect(holdsAny('电话', ['电话'])).toBe(true);
    expect(holdsAny('电话', ['网址'])).toBe(false);
  });
});
