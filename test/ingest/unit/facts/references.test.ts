import { describe, expect, it } from 'vitest';
import { extractChannels, extractCodes, extractUrls } from '../../../../src/ingest/facts/references.js';
import { clause, only, surface } from './clause.js';

const channels = (quote: string) => extractChannels(clause(quote)).map((ch) => [ch.name, ch.form]);

describe('extractCodes', () => {
  it('reads the Yunnan diagnosis codes with their labels', () => {
    const c = clause('已确诊为新型冠状病毒感染的肺炎患者疾病主要诊断编码为J12.800，附加编码为B97.200。');
    const found = extractCodes(c);
    expect(found.map((k) => k.code)).toEqual(['J12.800', 'B97.200']);
    expect(found[0]?.label).toContain('主要诊断编码');
    expect(found[1]?.label).toBe('附加编码');
    expect(found.map((k) => surface(c, k))).toEqual(['J12.800', 'B97.200']);
  });

  it('writes a code in upper case and leaves the label null when none is written', () => {
    expect(only(extractCodes(clause('j12.800')))).toMatchObject({ code: 'J12.800', label: null });
  });

  it('does not take a decimal or a version number inside a word for a code', () => {
    expect(extractCodes(clause('住院费用上浮1.5倍'))).toEqual([]);
    expect(extractCodes(clause('app12.800'))).toEqual([]);
  });
});

describe('extractUrls', () => {
  it('reads the Baotou online hall address, keeping its case', () => {
    const c = clause('醫保網廳地址:https://ylbzj.nmg.gov.cn/ggfw/hallEnter/#/Index');
    const u = only(extractUrls(c));
    expect(u.url).toBe('https://ylbzj.nmg.gov.cn/ggfw/hallEnter/#/Index');
    expect(surface(c, u)).toBe(u.url);
  });

  it('leaves trailing punctuation and brackets out of an address', () => {
    expect(only(extractUrls(clause('详见http://www.example.com/a.html。'))).url).toBe('http://www.example.com/a.html');
    expect(only(extractUrls(clause('（www.nhsa.gov.cn）'))).url).toBe('www.nhsa.gov.cn');
  });
});

describe('extractChannels', () => {
  it('reads named apps and an official account from the Baotou channel list', () => {
    const quote =
      '可通過國家醫保服務平臺APP、蒙速辦APP、微信小程序、支付寶、包頭市醫療保障微信公眾號、國家政務服務平臺(網站)等多種線上自助備案渠道進行“跨省異地就醫備案”申報。';
    const found = channels(quote);
    expect(found).toContainEqual(['國家醫保服務平臺APP', 'app']);
    expect(found).toContainEqual(['蒙速辦APP', 'app']);
    expect(found).toContainEqual(['包頭市醫療保障微信公眾號', 'official-account']);
  });

  it('does not take generic words such as 微信小程序 or 支付寶 for channel names', () => {
    expect(channels('可以使用微信小程序、支付宝办理')).toEqual([]);
  });

  it('reads a quoted name followed by 小程序 as a mini-program', () => {
    const c = clause('可以使用微信、支付寶、蒙速辦等線上“內蒙古稅務社保繳費”小程序進行線上申報繳費。');
    const ch = only(extractChannels(c));
    expect(ch).toMatchObject({ name: '內蒙古稅務社保繳費', form: 'mini-program' });
    expect(surface(c, ch)).toBe('內蒙古稅務社保繳費');
  });

  it('reads a quoted name after 微信公众号 as an official account', () => {
    expect(channels('可通過關注微信公眾號“包頭市醫療保障”的“辦事指南”了解業務流程')).toEqual([['包頭市醫療保障', 'official-account']]);
  });

  it('reads a quoted name followed by APP as an app', () => {
    expect(channels('下載“國家醫保服務平臺”APP,進入“地方專區中的內蒙古專區”')).toEqual([['國家醫保服務平臺', 'app']]);
  });

  it('reads quoted names listed together as payment channels', () => {
    const quote = '請使用手機微信小程序“內蒙古稅務社保繳費”、“支付寶市民中心”、“蒙速辦”等繳費渠道繳納醫療保險。';
    expect(channels(quote)).toEqual([
      ['內蒙古稅務社保繳費', 'mini-program'],
      ['支付寶市民中心', 'other'],
      ['蒙速辦', 'other'],
    ]);
  });

  it('reads a quoted name that names a platform', () => {
    expect(channels('为参保人员提供电话、“一部手机办事通”办理备案')).toEqual([['一部手机办事通', 'platform']]);
  });

  it('does not take a quoted slogan for a channel', () => {
    expect(channels('推行“不见面”服务，开通网上转移接续')).toEqual([]);
  });

  it('lists a channel named twice only once', () => {
    expect(channels('可通過國家醫保服務平臺APP辦理，或下載國家醫保服務平臺APP')).toEqual([['國家醫保服務平臺APP', 'app']]);
  });
});
