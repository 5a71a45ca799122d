import { describe, expect, it } from 'vitest';
import { parseNumber } from '../../../src/ingest/numerals.js';

describe('parseNumber', () => {
  it.each([
    ['一', 1],
    ['十', 10],
    ['十二', 12],
    ['二十一', 21],
    ['三十', 30],
    ['一百零五', 105],
    ['一千零一', 1001],
    ['两', 2],
    ['兩', 2],
    ['零', 0],
    ['二〇二〇', 2020],
  ])('reads the Chinese numeral %s as %i', (text, value) => {
    expect(parseNumber(text)).toBe(value);
  });

  it('reads Arabic digits, decimals included', () => {
    expect(parseNumber('3')).toBe(3);
    expect(parseNumber('4000')).toBe(4000);
    expect(parseNumber('1.5')).toBe(1.5);
  });

  it.each(['', '个', 'abc', '三个', '十万', '3项', '-3', '1,000', '３'])('returns null for %j, which is not a number', (text) => {
    expect(parseNumber(text)).toBeNull();
  });
});
