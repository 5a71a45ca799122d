import { describe, expect, it } from 'vitest';
import { extractPhones } from '../../../../src/ingest/facts/phones.js';
import { clause, only, surface } from './clause.js';

const phones = (quote: string, heading: string | null = null) => extractPhones(clause(quote, { heading }));

describe('extractPhones', () => {
  it('reads the two Baotou numbers with the purpose written before each', () => {
    const quote = '企、事業單位業務咨詢電話:0472-6970828,靈活就業和全國范圍內轉移接續咨詢電話:0472-6970829。';
    const c = clause(quote);
    const found = extractPhones(c);
    expect(found.map((p) => [p.number, p.kind, p.purpose])).toEqual([
      ['0472-6970828', 'landline', '企、事業單位業務咨詢'],
      ['0472-6970829', 'landline', '靈活就業和全國范圍內轉移接續咨詢'],
    ]);
    expect(found.map((p) => surface(c, p))).toEqual(['0472-6970828', '0472-6970829']);
  });

  it('reads a bare number in brackets after 热线 as a hotline', () => {
    const p = only(phones('六是加强值班值守，落实24小时专人值班，设立24小时医保热线（83709222），确保疫情相关信息及时反馈'));
    expect(p).toMatchObject({ number: '83709222', kind: 'hotline', purpose: '24小时医保热线' });
  });

  it('reads a landline after 熱線 as a hotline', () => {
    expect(only(phones('四、醫保服務熱線：020-12345678（24小時）。'))).toMatchObject({
      number: '020-12345678',
      kind: 'hotline',
      purpose: '醫保服務熱線',
    });
  });

  it('does not take a bare 8-digit number with no phone words around it for a phone', () => {
    expect(phones('共计12345678元')).toEqual([]);
    expect(phones('已为参保群众办理医保事项12345678人次')).toEqual([]);
  });

  it('does not take a date and time for a phone', () => {
    expect(phones('包頭醫療保障 2022-10-08 18:10 發表于內蒙古')).toEqual([]);
  });

  it('takes the purpose of a number in a table row from the other cells', () => {
    const p = only(phones('姑苏区医保中心\t三香路1号\t0512-65221001'));
    expect(p.number).toBe('0512-65221001');
    expect(p.purpose).toContain('姑苏区医保中心');
    expect(p.purpose).toContain('三香路1号');
    expect(p.purpose).not.toContain('0512');
  });

  it('takes a bare number in a table row for a phone without phone words', () => {
    expect(only(phones('吴中区医保中心\t东吴北路2号\t65222002')).number).toBe('65222002');
  });

  it('reads mobiles, with the contact line before a bare 电话 as their purpose', () => {
    const found = phones('联系人：王天龙、王艳霞\n电 话：13888982998、13808739168。');
    expect(found.map((p) => [p.number, p.kind, p.purpose])).toEqual([
      ['13888982998', 'mobile', '联系人：王天龙、王艳霞'],
      ['13808739168', 'mobile', '联系人：王天龙、王艳霞'],
    ]);
  });

  it('reads a five-digit service number when the text says to call it', () => {
    expect(only(phones('咨询请拨打12393'))).toMatchObject({ number: '12393', kind: 'service' });
    expect(phones('共12393人')).toEqual([]);
  });

  it('builds the purpose of a number one is told to call from the heading and the condition', () => {
    const quote = '在市外醫療機構住院的,從住院當日順延1個月內撥打0472-6169515電話備案,待疫情結束後恢復到正常備案時限。';
    expect(only(phones(quote, '無第三方責任意外傷害患者住院備案'))).toMatchObject({
      number: '0472-6169515',
      purpose: '無第三方責任意外傷害患者住院備案（市外醫療機構住院）',
    });
  });

  it('names the condition alone when the clause has no heading', () => {
    const quote = '在市外醫療機構住院的,從住院當日順延1個月內撥打0472-6169515電話備案。';
    expect(only(phones(quote)).purpose).toBe('市外醫療機構住院');
  });
});
