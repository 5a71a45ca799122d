import { describe, expect, it } from 'vitest';
import { escapeRe, holdsAny } from '../src/regex.js';

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

  it('escapes every character a pattern gives a meaning', () => {
    const special = ['.', '*', '+', '?', '^', '$', '{', '}', '(', ')', '|', '[', ']', '\\'].join('');
    expect(new RegExp(`^${escapeRe(special)}$`).test(special)).toBe(true);
  });
});
