import * as OpenCC from 'opencc-js';
import { describe, expect, it } from 'vitest';
import { detectScript, mayChange, toSimplified, traditionalShare } from '../../../src/ingest/script.js';

const TRADITIONAL = '關于做好新冠肺炎疫情防控期間醫療保險經辦業務的緊急通知';
const SIMPLIFIED = '关于做好新冠肺炎疫情防控期间医疗保险经办业务的紧急通知';

describe('toSimplified', () => {
  it('converts a Traditional sentence to Simplified', () => {
    expect(toSimplified(TRADITIONAL)).toBe(SIMPLIFIED);
  });

  it('keeps the length of the text, so offsets carry over', () => {
    const samples = [TRADITIONAL, '頭髮 後來 裏面 隻有', '可通過國家醫保服務平臺APP、蒙速辦APP\n醫(yī)療', '𠀀醫療😀'];
    for (const s of samples) expect(toSimplified(s)).toHaveLength(s.length);
  });

  it('leaves Simplified text unchanged', () => {
    expect(toSimplified(SIMPLIFIED)).toBe(SIMPLIFIED);
  });

  it('gives what OpenCC gives for every character and for texts it skips as unchangeable (issue 14)', () => {
    // toSimplified passes a text with none of the characters OpenCC's tables change straight through: that
    // must never differ from converting it. Every BMP character from U+2E80 on, one by one and in runs of 8
    // (so phrases can match), and astral ones.
    const t2s = OpenCC.Converter({ from: 't', to: 'cn' });
    const texts: string[] = [];
    for (let code = 0x2e80; code <= 0xffff; code++) if (code < 0xd800 || code > 0xdfff) texts.push(String.fromCharCode(code));
    for (let i = 0; i + 8 <= texts.length; i += 4) texts.push(texts.slice(i, i + 8).join(''));
    texts.push('𠀀醫療😀', '𪚥𪚥', '什么时候能报销', '乾隆年间', '了解一下门诊慢特病');
    const missed = texts.filter((t) => t2s(t) !== t && !mayChange(t));
    expect(missed).toEqual([]);
    expect(texts.filter((t) => !mayChange(t)).length).toBeGreaterThan(texts.length / 2);
    // and it does skip: a plain Simplified question is returned as the same string, not a converted copy.
    expect(toSimplified('职工医保门诊报销比例是多少')).toBe('职工医保门诊报销比例是多少');
  });
});

describe('traditionalShare', () => {
  it('is 0 for Simplified text and for text without Chinese characters', () => {
    expect(traditionalShare(SIMPLIFIED)).toBe(0);
    expect(traditionalShare('APP 0472-6970828')).toBe(0);
  });

  it('is the share of Chinese characters that conversion changes', () => {
    expect(traditionalShare('醫保')).toBe(0.5);
  });
});

describe('detectScript', () => {
  it('says a Traditional sentence is traditional', () => {
    expect(detectScript(TRADITIONAL)).toBe('traditional');
  });

  it('says a Simplified sentence is simplified', () => {
    expect(detectScript(SIMPLIFIED)).toBe('simplified');
  });

  it('says a Simplified sentence with one stray Traditional character is mixed', () => {
    expect(detectScript('关于做好新冠肺炎疫情防控期间医疗保险经办业务的緊急通知')).toBe('mixed');
  });
});
