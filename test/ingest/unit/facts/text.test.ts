import { describe, expect, it } from 'vitest';
import { phraseAt, sentenceAt, tidySpan } from '../../../../src/ingest/facts/text.js';
import { matchForm } from '../../../../src/ingest/normalize.js';

const tidy = (quote: string, lead: RegExp, trail: RegExp) => tidySpan({ quote, norm: matchForm(quote) }, 0, quote.length, lead, trail);

describe('sentenceAt and phraseAt', () => {
  const text = '甲乙,丙丁。戊己;庚\n辛';

  it('finds the sentence around an offset, up to 。 ; or a line break', () => {
    expect(sentenceAt(text, 4)).toEqual({ start: 0, end: 5 });
    expect(sentenceAt(text, 6)).toEqual({ start: 6, end: 8 });
    expect(sentenceAt(text, 9)).toEqual({ start: 9, end: 10 });
  });

  it('finds the phrase around an offset, up to a comma too', () => {
    expect(phraseAt(text, 4)).toEqual({ start: 3, end: 5 });
    expect(phraseAt(text, 0)).toEqual({ start: 0, end: 2 });
  });
});

describe('tidySpan', () => {
  it('drops an enumeration marker and the given leading and trailing words', () => {
    expect(tidy('（二）对特困人员给予', /^对/, /给予$/)).toBe('特困人员');
    expect(tidy('三是将定点医药机构', /^将/, /^$/)).toBe('定点医药机构');
  });

  it('matches its patterns on the Simplified form and keeps the Traditional wording', () => {
    expect(tidy('對特困人員給予', /^对/, /给予$/)).toBe('特困人員');
  });

  it('trims punctuation and white space at both ends', () => {
    expect(tidy(' 、企、事業單位業務咨詢： ', /^$/, /^$/)).toBe('企、事業單位業務咨詢');
  });
});
