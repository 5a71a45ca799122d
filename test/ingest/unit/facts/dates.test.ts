import { describe, expect, it } from 'vitest';
import { extractDates } from '../../../../src/ingest/facts/dates.js';
import { clause, only, surface } from './clause.js';

const dates = (quote: string, noticeYear: number | null = 2020) => extractDates(clause(quote, { noticeYear }));

describe('extractDates: dates', () => {
  it('reads 2022年10月8日 as a full date', () => {
    expect(only(dates('包頭市醫療保險服務中心\n2022年10月8日'))).toEqual({
      type: 'date',
      start: 12,
      end: 22,
      iso: '2022-10-08',
      yearInferred: false,
    });
  });

  it('takes the year of 截至2月19日 from the notice, and does not take it for a deadline', () => {
    const c = clause('截至2月19日，通过“不见面”经办，已为定点医药机构和参保群众办理医保事项6855人次。', { noticeYear: 2020 });
    const d = only(extractDates(c));
    expect(d).toMatchObject({ type: 'date', iso: '2020-02-19', yearInferred: true });
    expect(surface(c, d)).toBe('2月19日');
  });

  it('leaves iso null when the year is not written and the notice has none', () => {
    expect(only(dates('2月20日上午，市政府新闻办举行发布会', null))).toMatchObject({ type: 'date', iso: null, yearInferred: true });
  });

  it('reads a month without a day, and a year', () => {
    expect(only(dates('繳納2022年1月起的醫療保險'))).toMatchObject({ iso: '2022-01', yearInferred: false });
    expect(only(dates('辦理我市2023年度城鄉居民參保業務'))).toMatchObject({ iso: '2023' });
  });

  it('reads 月底 as the last day of that month, leap years included', () => {
    expect(only(dates('2020年2月底')).iso).toBe('2020-02-29');
    expect(only(dates('2021年2月底')).iso).toBe('2021-02-28');
    expect(only(dates('2020年3月下旬')).iso).toBe('2020-03-31');
  });

  it('keeps 上旬 to the month', () => {
    expect(only(dates('2020年3月上旬')).iso).toBe('2020-03');
  });

  it('reads a dashed date, as in a by-line', () => {
    expect(only(dates('2022-10-08 18:10 發表于內蒙古'))).toMatchObject({ type: 'date', iso: '2022-10-08' });
  });

  it('skips a month number that is not a month', () => {
    expect(dates('13月5日')).toEqual([]);
  });

  it('does not take a bare 2月 without a day for a date', () => {
    expect(dates('2月份可以补开诊疗处方')).toEqual([]);
  });
});

describe('extractDates: deadlines', () => {
  it('reads 征收期延长至2020年3月底 as a deadline on 2020-03-31 with what is extended', () => {
    const c = clause('2020年1月和2月应缴社会保险费征收期延长至2020年3月底');
    const found = extractDates(c);
    const deadline = found.find((f) => f.type === 'deadline');
    expect(deadline).toMatchObject({ iso: '2020-03-31', relative: null, subject: '2020年1月和2月应缴社会保险费征收期' });
    expect(deadline && surface(c, deadline)).toBe('2020年3月底');
    expect(found.find((f) => f.type === 'date')).toMatchObject({ iso: '2020-01' });
  });

  it('reads 有效期延长至2020年3月31日 as a deadline, without the enumeration marker in the subject', () => {
    const d = only(dates('三是将定点医药机构服务协议有效期延长至2020年3月31日，并将根据疫情情况做进一步调整。'));
    expect(d).toMatchObject({ type: 'deadline', iso: '2020-03-31', subject: '定点医药机构服务协议有效期' });
  });

  it('reads a date followed by 前 as a deadline', () => {
    expect(only(dates('3月15日前完成申报'))).toMatchObject({ type: 'deadline', iso: '2020-03-15' });
  });

  it('reads 补办应在疫情结束后三个月内完成 as a relative deadline', () => {
    const c = clause('用人单位逾期办理职工参保登记、缴费等业务，补办应在疫情结束后三个月内完成，不收取滞纳金');
    const d = only(extractDates(c));
    expect(d).toMatchObject({ type: 'deadline', iso: null, relative: '疫情结束后三个月内', subject: '补办' });
    expect(d.type === 'deadline' && d.relative).toBe(surface(c, d));
  });

  it('keeps the bracket in 自封闭管理（静态管理）结束后3个月内', () => {
    const d = only(dates('允许自封闭管理（静态管理）结束后3个月内补办。'));
    expect(d).toMatchObject({ type: 'deadline', iso: null, relative: '自封闭管理（静态管理）结束后3个月内', subject: '补办' });
  });

  it('reads 住院7個工作日內 as a relative deadline in Traditional script', () => {
    expect(only(dates('在市內醫療機構住院的,住院7個工作日內需由醫療機構醫保科代為登記備案'))).toMatchObject({
      type: 'deadline',
      relative: '住院7個工作日內',
    });
  });
});
