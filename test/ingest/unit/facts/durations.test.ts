import { describe, expect, it } from 'vitest';
import { extractDurations, extractPrescriptions } from '../../../../src/ingest/facts/durations.js';
import { clause, only, surface } from './clause.js';

/** Clause 五 of baotou-2022-10-08.txt, as ingested (pinyin stripped, mojibake corrected). */
const BAOTOU_FIVE =
  '五、為保障門診特殊慢性病(門診特殊用藥)患者長期用藥需求,減少就診購藥次數,緩解醫療機構門診接診壓力,支持醫療機構集中力量做好疫情防控工作,在保證醫療安全的基礎上,減少患者到醫療機構就診配藥次數,合理增加單次處方用藥量。對高血壓三級高危、糖尿病(注射胰島素治療)兩類門診慢性病患者在定點醫藥機構購藥、經診治醫院醫生評估後,慢性病處方購藥量可放寬至三個月,其他門診慢性病病種處方用藥量放寬至兩個月,待疫情結束後恢復正常。';

const durations = (quote: string) => extractDurations(clause(quote));

describe('extractDurations', () => {
  it('reads 可推遲2個月辦理 as 2 months deferred', () => {
    const d = only(durations('可推遲2個月辦理'));
    expect(d).toMatchObject({ value: 2, unit: 'month', relation: 'defer' });
    expect(surface(clause('可推遲2個月辦理'), d)).toBe('2個月');
  });

  it('reads 可放寬至三個月 as 3 months relaxed to', () => {
    expect(only(durations('可放寬至三個月'))).toMatchObject({ value: 3, unit: 'month', relation: 'relax' });
  });

  it('reads 住院7個工作日內 as within 7 working days', () => {
    expect(only(durations('住院7個工作日內需由醫療機構醫保科代為登記備案'))).toMatchObject({
      value: 7,
      unit: 'workday',
      relation: 'within',
    });
  });

  it('reads 缓缴期限最长不超过3个月 as at most 3 months', () => {
    expect(only(durations('缓缴期限最长不超过3个月'))).toMatchObject({ value: 3, unit: 'month', relation: 'max' });
  });

  it('reads 均順延2個月 as extended by 2 months', () => {
    expect(only(durations('無法在規定時限內辦理的業務,均順延2個月。'))).toMatchObject({ value: 2, relation: 'extend' });
  });

  it('reads 凡开药量超过3个月的 as over 3 months', () => {
    expect(only(durations('凡开药量超过3个月的，定点医疗机构要及时提醒接诊医师重点把关确认。'))).toMatchObject({
      value: 3,
      relation: 'over',
    });
  });

  it('reads a bare 24小时 as a plain duration in hours', () => {
    expect(only(durations('开通异地突发急症入院治疗24小时电话申报'))).toMatchObject({ value: 24, unit: 'hour', relation: 'plain' });
  });

  it('reads Chinese numerals, weeks, days and decimals', () => {
    expect(only(durations('十五个工作日'))).toMatchObject({ value: 15, unit: 'workday' });
    expect(only(durations('不超过12周的处方用药量'))).toMatchObject({ value: 12, unit: 'week', relation: 'max' });
    expect(only(durations('出院后30日内补办备案手续'))).toMatchObject({ value: 30, unit: 'day', relation: 'within' });
    expect(only(durations('三年内有效'))).toMatchObject({ value: 3, unit: 'year', relation: 'within' });
    expect(only(durations('1.5个月'))).toMatchObject({ value: 1.5, unit: 'month' });
  });

  it('does not take a date such as 2月20日 for a duration', () => {
    expect(durations('2月20日上午，市政府新闻办举行发布会')).toEqual([]);
  });

  it('does not take a year such as 2022年 for a duration', () => {
    expect(durations('2022年')).toEqual([]);
    expect(durations('辦理我市2023年度城鄉居民參保業務')).toEqual([]);
  });

  it('does not take an age in 周岁 for a duration in weeks', () => {
    expect(durations('其中0-14周岁（含）未成年人救助比例上浮10%')).toEqual([]);
  });

  it('finds both durations in the Baotou prescription clause', () => {
    const c = clause(BAOTOU_FIVE);
    expect(extractDurations(c).map((d) => [surface(c, d), d.value, d.relation])).toEqual([
      ['三個月', 3, 'relax'],
      ['兩個月', 2, 'relax'],
    ]);
  });
});

describe('extractPrescriptions', () => {
  const prescriptions = (quote: string) => {
    const c = clause(quote);
    return extractPrescriptions(c, extractDurations(c));
  };

  it('ties each quantity in the Baotou clause to its patient group', () => {
    const found = prescriptions(BAOTOU_FIVE);
    expect(found).toHaveLength(2);
    expect(found[0]?.group).toContain('高血壓三級高危、糖尿病(注射胰島素治療)');
    expect(found[0]).toMatchObject({ quantity: '三個月', value: 3, unit: 'month', relation: 'relax' });
    expect(found[1]).toMatchObject({ group: '其他門診慢性病病種', quantity: '兩個月', value: 2, unit: 'month', relation: 'relax' });
  });

  it('takes the group from 为…的参保患者 before the quantity', () => {
    const p = only(
      prescriptions('定点医疗机构可以为享受门诊高值药品、门诊慢性病和普通门诊统筹的参保患者，一次性开具最长三个月量的诊疗处方。'),
    );
    expect(p).toMatchObject({ group: '享受门诊高值药品、门诊慢性病和普通门诊统筹', value: 3, relation: 'max' });
  });

  it('leaves the group null when the sentence names none', () => {
    expect(only(prescriptions('門診特定病種參保人處方用藥量可放寬至三個月。'))).toMatchObject({ group: null, value: 3 });
  });

  it('finds no prescription in a sentence that is not about prescribing', () => {
    expect(prescriptions('醫療費用報銷及一次性賬戶返還等業務,可推遲2個月辦理。')).toEqual([]);
  });

  it('does not take hours or working days for a prescription quantity', () => {
    expect(prescriptions('处方用药量可在24小时内调整')).toEqual([]);
    expect(prescriptions('处方须在7个工作日内开具')).toEqual([]);
  });
});
