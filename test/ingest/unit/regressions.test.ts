/** Regressions found while writing the issue 2 unit tests; each names what went wrong. */
import { describe, expect, it } from 'vitest';
import { findDamage } from '../../../src/ingest/damage.js';
import { extractCaps, extractMoney, extractRatios } from '../../../src/ingest/facts/amounts.js';
import { extractDates } from '../../../src/ingest/facts/dates.js';
import { extractDurations } from '../../../src/ingest/facts/durations.js';
import { extractPhones } from '../../../src/ingest/facts/phones.js';
import { extractChannels } from '../../../src/ingest/facts/references.js';
import { cleanNotice, stripPinyin, tidyWhitespace } from '../../../src/ingest/normalize.js';
import { clause } from './facts/clause.js';

describe('issue 2 regressions', () => {
  it('does not read the year in 2022年内 or the day in 3月15日内 as a duration', () => {
    expect(extractDurations(clause('2022年内完成'))).toEqual([]);
    expect(extractDurations(clause('于3月15日内完成'))).toEqual([]);
    expect(extractDurations(clause('应在30日内完成'))).toMatchObject([{ value: 30, unit: 'day', relation: 'within' }]);
  });

  it('converts decimal 万元 amounts to whole yuan without floating-point residue', () => {
    expect(extractMoney(clause('补助0.07万元')).map((f) => f.amount)).toEqual([700]);
    const c = clause('救助70%，年度限额为2.01万元');
    expect(extractCaps(c, extractRatios(c)).map((f) => f.amount)).toEqual([20_100]);
  });

  it('applies a correction once even when its replacement contains what it replaces', () => {
    const r = cleanNotice('醫保', [{ from: '醫保', to: '醫保科' }]);
    expect(r.text).toBe('醫保科');
    expect(r.corrections[0]?.count).toBe(1);
  });

  it('finds a quoted WeChat official account (“杭州医保”微信公众号)', () => {
    expect(extractChannels(clause('参保单位可通过“浙里办”APP或“杭州医保”微信公众号办理参保登记')).map((f) => [f.name, f.form])).toEqual([
      ['浙里办', 'app'],
      ['杭州医保', 'official-account'],
    ]);
  });

  it('strips the verb leading to a relative deadline from its subject', () => {
    expect(extractDates(clause('报销时限顺延至疫情结束后6个月内')).find((f) => f.type === 'deadline')).toMatchObject({
      subject: '报销时限',
    });
  });

  it('refuses impossible dates', () => {
    expect(extractDates(clause('2020年2月30日和2020年13月'))).toEqual([]);
    expect(extractDates(clause('2020年2月29日')).map((f) => f.iso)).toEqual(['2020-02-29']);
  });

  it('does not take a count next to 咨询 for a phone number, and reads an area code in brackets', () => {
    expect(extractPhones(clause('咨询量达1234567人次'))).toEqual([]);
    expect(extractPhones(clause('电话：(010)12345678')).map((f) => f.number)).toEqual(['(010)12345678']);
  });

  it('does not flag B超 or X光 as damage', () => {
    expect(findDamage('需做B超检查，必要时拍X光片')).toEqual([]);
  });

  it('keeps a bracketed enumeration letter that is not pinyin', () => {
    expect(stripPinyin('以下情形(a)').text).toBe('以下情形(a)');
    expect(stripPinyin('我的(de)').text).toBe('我的');
  });

  it('keeps empty table cells, one tab each', () => {
    expect(tidyWhitespace('序\t\t姓名')).toBe('序\t\t姓名');
  });
});
