import { describe, expect, it } from 'vitest';
import { ungroundedNumbers } from '../../src/dialogue/reply.js';
import type { Citation } from '../../src/kb/knowledge-base.js';

const cite = (patch: Partial<Citation>): Citation =>
  ({ notice: 'n', clause: '一', title: '关于医保的通知', docNumber: null, date: null, quote: '', ...patch }) as Citation;

describe('ungroundedNumbers', () => {
  it('finds the runs of digits no citation holds, full-width digits as their ASCII ones, in the reply and the sources', () => {
    const quote = '参保人员每次可开具不超过４周的处方用药量，报销比例为90%（含）。';
    expect(ungroundedNumbers('可开４周，比例90%', [cite({ quote })])).toEqual([]);
    expect(ungroundedNumbers('可开4周，比例９０%', [cite({ quote })])).toEqual([]);
    expect(ungroundedNumbers('可开12周，比例90%，电话12345', [cite({ quote })])).toEqual(['12', '12345']);
    // Found in the title, the 文号 or the date as well as the quote.
    expect(
      ungroundedNumbers('2022年第１５号，自6月1日起', [cite({ quote, docNumber: '包医保发〔2022〕15号', date: '2022-03-01' })]),
    ).toEqual(['6']);
    expect(ungroundedNumbers('没有数字', [])).toEqual([]);
    expect(ungroundedNumbers('7个工作日', [])).toEqual(['7']);
  });
});
