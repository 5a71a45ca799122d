import { describe, expect, it } from 'vitest';
import { extractCaps, extractMoney, extractRatios } from '../../../../src/ingest/facts/amounts.js';
import { clause, only, surface } from './clause.js';

const SHANGLUO =
  '对特困人员、孤儿、事实无人抚养儿童给予100%救助，不设年度限额；低保对象、返贫致贫人口救助70%，年度限额为3万元；纳入低收入范围或易返贫致贫人口救助50%，年度限额为2万元。其中0-14周岁（含）未成年人救助比例上浮10%。';

const ratios = (quote: string) => extractRatios(clause(quote));
const caps = (quote: string) => {
  const c = clause(quote);
  return extractCaps(c, extractRatios(c));
};
const money = (quote: string) => extractMoney(clause(quote));

describe('extractRatios', () => {
  it('reads each Shangluo ratio with the group it applies to', () => {
    const c = clause(SHANGLUO);
    const found = extractRatios(c);
    expect(found.map((r) => [surface(c, r), r.percent, r.subject, r.relation])).toEqual([
      ['100%', 100, '特困人员、孤儿、事实无人抚养儿童', 'is'],
      ['70%', 70, '低保对象、返贫致贫人口', 'is'],
      ['50%', 50, '纳入低收入范围或易返贫致贫人口', 'is'],
      ['10%', 10, '0-14周岁（含）未成年人', 'increase'],
    ]);
    expect(found[0]?.measure).toBe('救助');
  });

  it('reads 救助比例上浮10% as an increase', () => {
    expect(only(ratios('救助比例上浮10%'))).toMatchObject({ percent: 10, relation: 'increase', measure: '救助', subject: null });
  });

  it('reads 支付比例下调5% as a decrease', () => {
    expect(only(ratios('支付比例下调5%'))).toMatchObject({ percent: 5, relation: 'decrease', measure: '支付' });
  });

  it('reads 百分之九十 written in words', () => {
    const c = clause('报销百分之九十');
    const r = only(extractRatios(c));
    expect(r).toMatchObject({ percent: 90, measure: '报销' });
    expect(surface(c, r)).toBe('百分之九十');
  });

  it('reads a full-width percent sign', () => {
    expect(only(ratios('报销９０％'))).toMatchObject({ percent: 90 });
  });

  it('takes the subject of the Yunnan reimbursement ratio from its phrase', () => {
    expect(only(ratios('确保保障对象门诊和住院救治费用报销90%，个人负担部分由财政给予补助。'))).toMatchObject({
      percent: 90,
      subject: '保障对象门诊和住院救治费用',
      measure: '报销',
    });
  });

  it('does not read percentage points without a percent sign', () => {
    expect(ratios('个人负担比例降低5个百分点')).toEqual([]);
  });
});

describe('extractCaps', () => {
  it('ties each Shangluo cap to the ratio before it in the sentence', () => {
    const c = clause(SHANGLUO);
    const found = extractCaps(c, extractRatios(c));
    expect(found.map((k) => [surface(c, k), k.amount, k.subject])).toEqual([
      ['不设年度限额', null, '特困人员、孤儿、事实无人抚养儿童'],
      ['年度限额为3万元', 30000, '低保对象、返贫致贫人口'],
      ['年度限额为2万元', 20000, '纳入低收入范围或易返贫致贫人口'],
    ]);
  });

  it('reads 最高支付限额 in 万元 and 上不封顶 with no amount', () => {
    expect(only(caps('最高支付限额为50万元'))).toMatchObject({ amount: 500000, subject: null });
    expect(only(caps('大病保险上不封顶'))).toMatchObject({ amount: null });
  });

  it('does not tie a cap to a ratio in an earlier sentence', () => {
    expect(only(caps('报销90%。年度限额为3万元'))).toMatchObject({ amount: 30000, subject: null });
  });
});

describe('extractMoney', () => {
  it('reads 4000万元 in yuan', () => {
    const c = clause('为新冠肺炎医疗救治定点医院拨付特殊应急周转金4000万元。');
    const m = only(extractMoney(c));
    expect(m.amount).toBe(40_000_000);
    expect(surface(c, m)).toBe('4000万元');
  });

  it('reads a headline 4000万 without 元 when the words before it are about money', () => {
    expect(only(money('4项举措确保医院不因支付政策影响救治：拨付特殊应急周转金4000万')).amount).toBe(40_000_000);
  });

  it('reads decimals, 元 and 亿元', () => {
    expect(only(money('补助1.5万元')).amount).toBe(15_000);
    expect(only(money('起付线1200元')).amount).toBe(1200);
    expect(only(money('安排资金5亿元')).amount).toBe(500_000_000);
  });

  it('does not take a count of people for money', () => {
    expect(money('共100万人')).toEqual([]);
    expect(money('惠及参保群众100万')).toEqual([]);
  });
});
