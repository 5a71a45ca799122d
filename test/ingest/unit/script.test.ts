import { describe, expect, it } from 'vitest';
import { detectScript, toSimplified, traditionalShare } from '../../../src/ingest/script.js';

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
