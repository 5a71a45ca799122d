import { describe, expect, it } from 'vitest';
import { findDamage } from '../../../src/ingest/damage.js';

describe('findDamage', () => {
  it('finds the Baotou mojibake in 慢性?。ㄩT診', () => {
    const damage = findDamage('為保障門診特殊慢性?。ㄩT診特殊用藥)患者');
    expect(damage).toHaveLength(1);
    expect(damage[0]?.context).toContain('?。ㄩT');
    expect(damage[0]?.reason).toContain('bopomofo');
  });

  it('finds a question mark and a lone Latin letter inside 醫??妻k理, merged into one finding', () => {
    const damage = findDamage('醫??妻k理');
    expect(damage).toHaveLength(1);
    expect(damage[0]?.offset).toBe(1);
    expect(damage[0]?.context).toBe('醫??妻k理');
    expect(damage[0]?.reason).toContain('question mark inside a word');
    expect(damage[0]?.reason).toContain('lone Latin letter');
  });

  it('finds the replacement character U+FFFD', () => {
    expect(findDamage('城鎮職工基本醫療保險參\ufffd\ufffd人員')).toEqual([
      { offset: 11, context: '保險參\ufffd\ufffd人員', reason: 'replacement character' },
    ]);
  });

  it('finds private-use characters', () => {
    expect(findDamage('醫療\ue000保險')[0]?.reason).toBe('private-use character');
  });

  it('finds a pinyin annotation left after a damaged character', () => {
    expect(
      findDamage('醫?;鹪陆Y(jié)算')
        .map((d) => d.reason)
        .join('; '),
    ).toContain('pinyin annotation');
  });

  it('reports findings far apart separately, each with its offset', () => {
    const text = `醫??妻k理${'。'.repeat(20)}慢性?。ㄩT診`;
    expect(findDamage(text).map((d) => d.offset)).toEqual([1, 30]);
  });

  it('finds nothing in clean text with brackets', () => {
    expect(findDamage('對高血壓三級高危、糖尿病(注射胰島素治療)兩類門診慢性病患者')).toEqual([]);
  });

  it('finds nothing in APP names or diagnosis codes', () => {
    expect(findDamage('可通過國家醫保服務平臺APP、蒙速辦APP')).toEqual([]);
    expect(findDamage('主要診斷編碼為J12.800,附加編碼為B97.200。')).toEqual([]);
  });

  it('does not take a question mark before punctuation for damage', () => {
    expect(findDamage('是否可以？請問是否可以?')).toEqual([]);
  });
});
