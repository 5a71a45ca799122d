import { describe, expect, it } from 'vitest';
import { cleanNotice, foldWidth, matchForm, stripPinyin, tidyWhitespace } from '../../../src/ingest/normalize.js';

describe('stripPinyin', () => {
  it('strips pinyin annotations such as 醫(yī)療 from the Baotou title', () => {
    expect(stripPinyin('關于做好新冠肺炎疫情防控期間醫(yī)療保險經(jīng)辦業(yè)務的緊急通知')).toEqual({
      text: '關于做好新冠肺炎疫情防控期間醫療保險經辦業務的緊急通知',
      count: 3,
    });
  });

  it('strips an annotation in full-width brackets and one with ü', () => {
    expect(stripPinyin('醫（yī）療').text).toBe('醫療');
    expect(stripPinyin('綠(lǜ)色').text).toBe('綠色');
  });

  it('strips a neutral-tone annotation that is a whole pinyin syllable', () => {
    expect(stripPinyin('好的(de)')).toEqual({ text: '好的', count: 1 });
  });

  it('keeps a Chinese bracket that is not pinyin', () => {
    expect(stripPinyin('糖尿病(注射胰島素治療)')).toEqual({ text: '糖尿病(注射胰島素治療)', count: 0 });
  });

  it('keeps a bracketed Latin letter after a Latin letter', () => {
    expect(stripPinyin('x(a)')).toEqual({ text: 'x(a)', count: 0 });
  });

  it('keeps a bracketed Latin word that is not a pinyin syllable', () => {
    expect(stripPinyin('下載(app)').text).toBe('下載(app)');
    expect(stripPinyin('中(abc)').text).toBe('中(abc)');
  });
});

describe('tidyWhitespace', () => {
  it('splits a single line at runs of two ideographic spaces into paragraphs', () => {
    expect(tidyWhitespace('現通知如下：　　一、暫停線下窗口業務。　　二、可推遲2個月辦理。')).toBe(
      '現通知如下：\n一、暫停線下窗口業務。\n二、可推遲2個月辦理。',
    );
  });

  it('does not split at a single ideographic space, which becomes a plain space', () => {
    expect(tidyWhitespace('苏州市医疗保障局　苏州市财政局')).toBe('苏州市医疗保障局 苏州市财政局');
  });

  it('keeps tabs as cell separators and drops the spaces around them', () => {
    expect(tidyWhitespace('姑苏区医保中心 \t 三香路1号\t0512-65221001')).toBe('姑苏区医保中心\t三香路1号\t0512-65221001');
  });

  it('collapses other runs of white space, trims lines and drops blank ones', () => {
    expect(tidyWhitespace('  　　縮進段落  \n\n \u00a0 \n電  話：13888982998 ')).toBe('縮進段落\n電 話：13888982998');
  });
});

describe('cleanNotice', () => {
  it('collapses runs of "? ? ? ?" layout debris and counts them', () => {
    const raw = '關于做好新冠肺炎疫情防控期間\n? ? ? ? ? ? ? ? 醫療保險經辦業務的緊急通知\n? ? ? ? ? ? 包頭市醫療保險服務中心';
    const result = cleanNotice(raw);
    expect(result.text).toBe('關于做好新冠肺炎疫情防控期間\n醫療保險經辦業務的緊急通知\n包頭市醫療保險服務中心');
    expect(result.removed.debris).toBe(2);
  });

  it('keeps one or two question marks, which are not debris', () => {
    expect(cleanNotice('是否可以??').text).toBe('是否可以??');
  });

  it('removes [bookmark: _GoBack] word-processor markup', () => {
    const result = cleanNotice('[bookmark: _GoBack]15.开设医保经办服务绿色通道。');
    expect(result.text).toBe('15.开设医保经办服务绿色通道。');
    expect(result.removed.markup).toBe(1);
  });

  it('strips pinyin and counts it among what was removed', () => {
    const result = cleanNotice('包頭醫(yī)療保障 2022-10-08 18:10 發(fā)表于內(nèi)蒙古');
    expect(result.text).toBe('包頭醫療保障 2022-10-08 18:10 發表于內蒙古');
    expect(result.removed).toEqual({ pinyin: 3, debris: 0, markup: 0 });
  });

  it('turns CRLF and CR line ends into LF', () => {
    expect(cleanNotice('一、甲。\r\n二、乙。\r三、丙。').text).toBe('一、甲。\n二、乙。\n三、丙。');
  });

  it('applies a correction written as the raw text stands, pinyin included, and counts it', () => {
    const result = cleanNotice('在我市二級及以上醫療機構醫(yī)??妻k理賬戶共濟業務。', [{ from: '醫(yī)??妻k理', to: '醫(yī)保科辦理' }]);
    expect(result.text).toBe('在我市二級及以上醫療機構醫保科辦理賬戶共濟業務。');
    expect(result.corrections).toEqual([{ from: '醫(yī)??妻k理', to: '醫(yī)保科辦理', count: 1 }]);
  });

  it('counts every occurrence a correction repairs', () => {
    const raw = '為保障門診特殊慢性?。ㄩT診特殊用藥)患者\n門診特殊慢性?。ㄩT診特殊用藥)鑒定定點醫療機構';
    const result = cleanNotice(raw, [{ from: '慢性?。ㄩT診', to: '慢性病(門診' }]);
    expect(result.text).toBe('為保障門診特殊慢性病(門診特殊用藥)患者\n門診特殊慢性病(門診特殊用藥)鑒定定點醫療機構');
    expect(result.corrections[0]?.count).toBe(2);
  });

  it('applies a correction written without the pinyin the raw text has', () => {
    const result = cleanNotice('醫(yī)??妻k理', [{ from: '醫??妻k理', to: '醫保科辦理' }]);
    expect(result.text).toBe('醫保科辦理');
    expect(result.corrections[0]?.count).toBe(1);
  });

  it('reports a correction that matches nothing with count 0 and leaves the text alone', () => {
    const result = cleanNotice('醫療保險經辦業務', [{ from: '不存在的文字', to: '替換' }]);
    expect(result.text).toBe('醫療保險經辦業務');
    expect(result.corrections).toEqual([{ from: '不存在的文字', to: '替換', count: 0 }]);
  });

  it('ignores a correction with an empty from', () => {
    const result = cleanNotice('醫療保險', [{ from: '', to: 'x' }]);
    expect(result.text).toBe('醫療保險');
    expect(result.corrections[0]?.count).toBe(0);
  });
});

describe('foldWidth', () => {
  it('folds full-width ASCII variants and the ideographic space, keeping the length', () => {
    expect(foldWidth('１２３ＡＢＣ％（）：，；　')).toBe('123ABC%():,; ');
  });

  it('leaves Chinese characters and ideographic punctuation alone', () => {
    expect(foldWidth('一、通知。“蒙速辦”')).toBe('一、通知。“蒙速辦”');
  });
});

describe('matchForm', () => {
  it('folds full-width digits, letters and punctuation and lowers case', () => {
    expect(matchForm('１２３ＡＢＣ％（）')).toBe('123abc%()');
  });

  it('converts Traditional to Simplified', () => {
    expect(matchForm('醫療保險經辦業務')).toBe('医疗保险经办业务');
    expect(matchForm('國家醫保服務平臺APP')).toBe('国家医保服务平台app');
  });

  it('returns the same length as its input for every kind of text', () => {
    const samples = [
      '關于做好新冠肺炎疫情防控期間醫(yī)療保險經(jīng)辦業(yè)務的緊急通知',
      '（六）做好疾病編碼對應。主要診斷編碼為J12.800',
      '頭髮 後來 裏面 乾隆 著作 台灣',
      'İstanbul ẞ ﬁ 😀 𠀀',
      '',
    ];
    for (const s of samples) expect(matchForm(s)).toHaveLength(s.length);
  });

  it('keeps case rather than change the length when lower-casing would', () => {
    expect(matchForm('İ')).toBe('İ');
  });
});
