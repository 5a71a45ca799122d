import { describe, expect, it } from 'vitest';
import { inlineMarkers, isNumbering, MARKER_RANK, type MarkerKind, markerAt } from '../../../src/ingest/markers.js';
import { matchForm } from '../../../src/ingest/normalize.js';

/** The marker a paragraph starts with, looked for in its match form as ingestion does. */
const at = (paragraph: string) => markerAt(matchForm(paragraph));

describe('markerAt', () => {
  it.each([
    ['一、提高政治站位', 'cn-dun', 1, '一', 2],
    ['十二、市醫保核定類業務做如下調整', 'cn-dun', 12, '十二', 3],
    ['（六）做好疾病编码对应', 'cn-paren', 6, '六', 3],
    ['(六)開展全市靈活就業人員醫保業務', 'cn-paren', 6, '六', 3],
    ['1.允许企业补办业务', 'num', 1, '1', 2],
    ['1．允许企业补办业务', 'num', 1, '1', 2],
    ['12、严格监管新冠病毒检测价格', 'num', 12, '12', 3],
    ['(3)其他情形', 'num-paren', 3, '3', 3],
    ['①首先', 'circled', 1, '1', 1],
    ['第三条 门诊慢性病参保人员', 'article', 3, '第三条', 4],
    ['第二章 附则', 'chapter', 2, '第二章', 4],
    ['第一节 总则', 'section', 1, '第一节', 4],
    ['一是将国家卫健委下发的诊疗方案', 'cn-shi', 1, '一', 2],
  ] as [string, MarkerKind, number, string, number][])('reads %s as a %s marker', (paragraph, kind, ordinal, label, length) => {
    expect(at(paragraph)).toEqual({ kind, rank: MARKER_RANK[kind], ordinal, label, length });
  });

  it('sees （六） as (六) once in match form', () => {
    expect(matchForm('（六）')).toBe('(六)');
    expect(markerAt('(六)做好')?.kind).toBe('cn-paren');
  });

  it('measures the marker with the space after it', () => {
    expect(at('第一条 参保人员因疫情影响')?.length).toBe(4);
    expect(at('1、 登记征缴类业务')?.length).toBe(3);
  });

  it.each(['2月20日上午，市政府新闻办举行发布会', '2022年', '3项举措确保患者不因费用问题影响就医', '24小时电话申报', '1.5倍', '2.0版本'])(
    'does not take %s for a marker',
    (paragraph) => {
      expect(at(paragraph)).toBeNull();
    },
  );

  it('does not take 一是 for a marker when nothing follows it', () => {
    expect(at('一是')).toBeNull();
  });

  it('does not take a zero ordinal for a marker', () => {
    expect(at('0、说明')).toBeNull();
  });
});

describe('MARKER_RANK', () => {
  it('nests chapters, articles, 一、, （一）, 1. and 一是 from the outside in', () => {
    const order: MarkerKind[] = ['chapter', 'section', 'article', 'cn-dun', 'cn-paren', 'num', 'num-paren', 'circled', 'cn-shi'];
    const ranks = order.map((k) => MARKER_RANK[k]);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(new Set(ranks).size).toBe(ranks.length);
  });
});

describe('isNumbering', () => {
  it('counts numbered items but not 一是 enumerations, headings or no marker', () => {
    expect(isNumbering(at('一、提高政治站位'))).toBe(true);
    expect(isNumbering(at('1.允许企业补办业务'))).toBe(true);
    expect(isNumbering(at('一是加强宣传'))).toBe(false);
    expect(isNumbering({ kind: 'heading', rank: MARKER_RANK.heading, ordinal: 0, label: '', length: 0 })).toBe(false);
    expect(isNumbering(null)).toBe(false);
  });
});

describe('inlineMarkers', () => {
  it('finds a run of 一是…二是…三是 after sentence punctuation', () => {
    const norm = matchForm('工作如下:一是加强宣传;二是优化服务;三是强化监管。');
    const found = inlineMarkers(norm, new Map());
    expect(found.map((f) => [f.marker.kind, f.marker.ordinal])).toEqual([
      ['cn-shi', 1],
      ['cn-shi', 2],
      ['cn-shi', 3],
    ]);
    expect(found.map((f) => norm.slice(f.at, f.at + 2))).toEqual(['一是', '二是', '三是']);
  });

  it('takes 一是 after a comma too', () => {
    expect(inlineMarkers(matchForm('具体如下，一是加强宣传，二是优化服务'), new Map())).toHaveLength(2);
  });

  it('finds 一、…二、 items after a colon and a full stop', () => {
    const found = inlineMarkers(matchForm('现通知如下：一、暂停窗口业务。二、推迟办理。'), new Map());
    expect(found.map((f) => [f.marker.kind, f.marker.label])).toEqual([
      ['cn-dun', '一'],
      ['cn-dun', '二'],
    ]);
  });

  it('skips the space after the punctuation', () => {
    const norm = matchForm('如下: 一、甲。 二、乙。');
    expect(inlineMarkers(norm, new Map()).map((f) => norm[f.at])).toEqual(['一', '二']);
  });

  it('yields nothing for a lone amount such as 2.5万元', () => {
    expect(inlineMarkers(matchForm('…共2.5万元'), new Map())).toEqual([]);
  });

  it('yields nothing for a stray 2. after a full stop', () => {
    expect(inlineMarkers(matchForm('已完成。2.5万元已拨付。'), new Map())).toEqual([]);
    expect(inlineMarkers(matchForm('甲。2.乙。'), new Map())).toEqual([]);
  });

  it('does not take a single 一、 for a run', () => {
    expect(inlineMarkers(matchForm('通知如下：一、暂停窗口业务。'), new Map())).toEqual([]);
  });

  it('takes a single item that continues the count of the items before', () => {
    const found = inlineMarkers(matchForm('暂停窗口业务。二、推迟办理。'), new Map([['cn-dun', 1]]));
    expect(found.map((f) => f.marker.ordinal)).toEqual([2]);
  });

  it('does not take a single item that does not continue the count', () => {
    expect(inlineMarkers(matchForm('暂停窗口业务。三、推迟办理。'), new Map([['cn-dun', 1]]))).toEqual([]);
  });

  it('does not take a 、 item after a comma', () => {
    expect(inlineMarkers(matchForm('如下，一、甲，二、乙'), new Map())).toEqual([]);
  });
});
