/**
 * Metadata inference on notices in the shapes met in the wild — press reports, joint notices, national
 * documents, WeChat reposts — each a small text written for the test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gazetteer } from '../../src/geo/gazetteer.js';
import { ingestNotice, type Notice } from '../../src/ingest/notice.js';
import { parseSidecar } from '../../src/ingest/sidecar.js';
import { projectGazetteer } from '../helpers/knowledge.js';

let g: Gazetteer;
beforeAll(async () => {
  g = await projectGazetteer();
});

function ingest(stem: string, lines: string[], sidecar?: string): Notice {
  return ingestNotice(
    {
      stem,
      file: `${stem}.txt`,
      bytes: new TextEncoder().encode(lines.join('\n')),
      ...(sidecar ? { sidecar: parseSidecar(sidecar, `${stem}.yaml`) } : {}),
    },
    g,
  );
}

describe('region', () => {
  it('takes the region of a press report from its headline (芜湖：…)', () => {
    const n = ingest('press-2022-06-10', [
      '芜湖：异地就医备案实现“掌上办”',
      '本报讯（记者 王五）记者9日从市医保局获悉，参保人可通过手机办理异地就医备案。',
      '据介绍，此前备案须到窗口办理。',
    ]);
    expect(n.meta.region).toBe('芜湖');
    expect(n.metaEvidence.region).toBe('headline');
  });

  it('keeps a press report at its headline’s city when it quotes a national body', () => {
    const n = ingest('press-2022-06-13', ['芜湖：门诊共济保障落地', '记者13日从国家医保局获悉，职工医保门诊共济保障机制全面实施。']);
    expect(n.meta.region).toBe('芜湖');
    expect(n.metaEvidence.region).toBe('headline');
  });

  it('reads a headline’s place after a bracket (【芜湖】…)', () => {
    const n = ingest('press-2022-06-12', ['【芜湖】异地就医备案实现“掌上办”', '参保人可通过手机办理异地就医备案。']);
    expect(n.meta.region).toBe('芜湖');
  });

  it('writes out the body a press report names by its level with the region (市医保局 → 芜湖市医保局) and says so', () => {
    const n = ingest('press-2022-06-10', ['芜湖：异地就医备案实现“掌上办”', '记者9日从市医保局获悉，参保人可通过手机办理异地就医备案。']);
    expect(n.meta.authority).toBe('芜湖市医保局');
    expect(n.metaEvidence.authority).toBe('completed');
    expect(n.notes).toContain('authority: the report names “市医保局”; completed from the region as 芜湖市医保局');
  });

  it('writes out a region’s 自治区医保局 with the region’s full name', () => {
    const n = ingest('press-2022-06-11', ['广西：门诊慢特病待遇资格全区互认', '记者10日从自治区医保局获悉，参保人跨市就医不再重复认定。']);
    expect(n.meta).toMatchObject({ region: '广西', authority: '广西壮族自治区医保局' });
  });

  it('never takes a sentence fragment for a body or a region (日从市医保局)', () => {
    const n = ingest('press-2022-06-10', ['扫码购药全覆盖', '记者8日从市医保局获悉，全市定点药店支持扫码结算。']);
    expect(n.meta.authority).toBeNull();
    expect(n.meta.region).toBeNull();
    expect(n.notes).toContain('authority: the report names “市医保局” but no region to complete it with');
    expect(n.notes).toContain('region: not found in the text; a sidecar can set it');
  });

  it('gives a notice of a national body the region 全国, not a province of its distribution list', () => {
    const n = ingest('nation-2022-07-01', [
      '国家医疗保障局办公室关于做好门诊费用跨省结算的通知',
      '医保办发〔2022〕9号',
      '各省、自治区、直辖市及新疆生产建设兵团医疗保障局：',
      '一、新疆、西藏等地区要加快开通门诊费用跨省直接结算。',
      '国家医疗保障局办公室',
      '2022年7月1日',
    ]);
    expect(n.meta).toMatchObject({ region: '全国', authority: '国家医疗保障局办公室', docNumber: '医保办发〔2022〕9号' });
    expect(n.metaEvidence.region).toBe('national');
  });

  it('takes a document addressed to 各省、自治区、直辖市 as national when no body is named', () => {
    const n = ingest('nation-2022-07-02', ['关于做好门诊费用跨省结算的通知', '各省、自治区、直辖市医疗保障局：', '一、新疆要加快开通。']);
    expect(n.meta.region).toBe('全国');
  });

  it('takes the most specific place of consistent bodies: a district body inside its city gives the district', () => {
    const n = ingest('district-2022-05-01', ['青岛市黄岛区医疗保障局关于优化经办服务的通知', '一、业务网上办理。']);
    expect(n.meta.region).toBe('黄岛');
    expect(n.metaEvidence.region).toBe('authority');
  });

  it('reads a district body whose name several cities share by the city the notice names (江北区)', () => {
    const n = ingest('jiangbei-2022-05-01', ['江北区医疗保障局关于优化经办服务的通知', '一、全区参保人可在重庆市医保公众号办理。']);
    expect(n.meta.region).toBe('重庆江北区');
  });

  it('keeps a city’s notice that names many of its districts at the city', () => {
    const n = ingest('districts-2022-05-01', [
      '关于各区医保经办机构咨询电话的公告',
      '青岛市参保人可拨打所在区经办机构电话。',
      '市南区：0532-1111111；市北区：0532-2222222；李沧区：0532-3333333；崂山区：0532-4444444。',
      '青岛市医保服务热线同时受理咨询。',
    ]);
    expect(n.meta.region).toBe('青岛');
    expect(n.metaEvidence.region).toBe('most-named');
  });

  it('does not count places the text names as someone else’s (支援湖北, 从武汉来, 赴京)', () => {
    const n = ingest('others-2021-01-18', [
      '关于做好春节期间医保服务的通知',
      '一、从武汉、孝感来的人员按规定检测，支援湖北的医疗队员费用兜底，赴京人员另行安排。',
      '二、湖北籍人员就医按本地参保人对待。',
      '三、温州市参保人员在温州市定点医院就医直接结算。',
    ]);
    expect(n.meta.region).toBe('温州');
    const m = ingest('others-2021-01-19', [
      '关于做好春节期间医保服务的通知',
      '一、从武汉来的人员按规定检测，支援湖北的医疗队员费用兜底，赴京人员另行安排。',
    ]);
    expect(m.meta.region).toBeNull();
  });

  it('takes the place of a set phrase last, when the text names no place of its own (离沪, 返沪)', () => {
    const n = ingest('press-2020-02-09', ['离沪人员医保报销有新规', '离沪期间在外地就医的参保人员，可在返沪后补办报销手续。']);
    expect(n.meta.region).toBe('上海');
    expect(n.metaEvidence.region).toBe('implied');
  });

  it('resolves 本市 against the place a headline names', () => {
    const n = ingest('local-2022-03-01', ['参保人注意！温州医保电子凭证全覆盖', '本市参保人可在定点药店扫码购药。']);
    expect(n.meta.region).toBe('温州');
    expect(['headline', '本市']).toContain(n.metaEvidence.region);
    const m = ingest('local-2022-03-02', ['医保电子凭证全覆盖', '本市参保人可在定点药店扫码购药，温州医保公众号可查询药店名单。']);
    expect(m.meta.region).toBe('温州');
    expect(m.metaEvidence.region).toBe('本市');
  });

  it('lets a sidecar set the region by any form of its name', () => {
    const n = ingest('side-2022-01-01', ['关于医保经办的通知', '一、网上办理。'], 'version: 1\nregion: 西海岸新区\n');
    expect(n.meta.region).toBe('黄岛');
    expect(n.metaEvidence.region).toBe('sidecar');
  });
});

describe('authority', () => {
  it('keeps every body of a joint notice listed on letterhead lines, once each, though listed twice and on one line', () => {
    const n = ingest('joint-2021-04-01', [
      '温州市医疗保障局',
      '温州市财政局',
      '国家税务总局温州市税务局',
      '温医保发〔2021〕3号',
      '温州市医疗保障局 温州市财政局 国家税务总局温州市税务局',
      '关于阶段性缓缴职工医保费的通知',
      '一、缓缴期最长3个月。',
    ]);
    expect(n.meta.authority).toBe('温州市医疗保障局、温州市财政局、国家税务总局温州市税务局');
    expect(n.meta.docNumber).toBe('温医保发〔2021〕3号');
    expect(n.meta.region).toBe('温州');
  });

  it('reads the authority of a WeChat repost from its signature, not from the account line', () => {
    const n = ingest('repost-2022-09-01', [
      '關於2023年度居民醫保繳費的通告',
      '温州醫保 2022-09-01 17:32 發表於浙江',
      '一、繳費標準為每人每年380元。',
      '温州市醫療保障局',
      '國家稅務總局温州市稅務局',
      '2022年9月1日',
    ]);
    expect(n.meta.authority).toBe('温州市醫療保障局、國家稅務總局温州市稅務局');
    expect(n.metaEvidence.authority).toBe('signature');
    expect(n.meta.region).toBe('温州');
  });

  it('keeps an issuer whose place the data lacks when the title names it before 关于, and leaves the region to a sidecar', () => {
    const n = ingest('unknown-2022-01-01', [
      '某某新区医疗保障局关于医保经办的通知',
      '一、网上办理。',
      '某某新区医疗保障局',
      '2022年1月1日',
    ]);
    expect(n.meta.authority).toBe('某某新区医疗保障局');
    expect(n.meta.region).toBeNull();
  });

  it('tells two bodies apart when one acts with the other (省医疗保障局会同省财政厅)', () => {
    const n = ingest('with-2022-02-01', ['浙江省医疗保障局关于大病保险的通知', '一、省医疗保障局会同省财政厅做好测算。']);
    expect(n.meta.authority).toBe('浙江省医疗保障局');
  });
});

describe('kind and dates of effect', () => {
  it('takes measures for the epidemic period as temporary, and says which words made it so', () => {
    const n = ingest('covid-2022-04-01', ['关于疫情防控期间医保经办的通知', '一、窗口业务改为网上办理。']);
    expect(n.meta.kind).toBe('temporary');
    expect(n.metaEvidence.kind).toBe('疫情防控期间');
    expect(n.meta.expires).toBeNull();
  });

  it('takes a stated end as the measures’ expiry, and the notice as temporary', () => {
    const n = ingest('end-2022-04-01', ['关于调整门诊报销比例的通知', '一、报销比例提高至60%。', '二、本通知执行至2022年12月31日。']);
    expect(n.meta).toMatchObject({ kind: 'temporary', expires: '2022-12-31' });
  });

  it('takes a rule with no sign of being temporary as standing (临时外出就医人员 are people, not a measure)', () => {
    const n = ingest('rule-2022-07-01', ['关于异地就医备案的通知', '一、临时外出就医人员可网上备案。', '二、本通知自2022年9月1日起施行。']);
    expect(n.meta.kind).toBe('standing');
  });

  it('reads the date a notice takes effect and keeps the sentence it said it in', () => {
    const n = ingest('rule-2022-07-01', [
      '关于异地就医备案的通知',
      '一、备案可网上办理。',
      '八、实施时间。本通知自2022年9月1日起施行。此前规定与本通知不一致的，以本通知为准。',
    ]);
    expect(n.meta.effective).toBe('2022-09-01');
    expect(n.meta.effectiveText).toBe('本通知自2022年9月1日起施行。');
    expect(n.text).toContain(n.meta.effectiveText);
  });

  it('takes 自发布之日起施行 as the notice’s own date', () => {
    const n = ingest('now-2022-04-06', ['关于优化经办服务的公告', '一、网上办理。', '二、本公告自发布之日起施行。', '2022年4月6日']);
    expect(n.meta.effective).toBe('2022-04-06');
  });

  it('completes a press report’s 9日起 with the year and month of its date', () => {
    const n = ingest('press-2022-05-08', [
      '芜湖：扫码购药全覆盖',
      '本报讯（记者 王五）记者8日从市医保局获悉，9日起，全市定点药店支持扫码结算。',
    ]);
    expect(n.meta.effective).toBe('2022-05-09');
    expect(n.meta.effectiveText).toBe('记者8日从市医保局获悉，9日起，全市定点药店支持扫码结算。');
  });

  it('leaves the date of effect unknown when the text does not state it, and says so', () => {
    const n = ingest('none-2022-01-01', ['关于医保经办的通知', '一、网上办理。']);
    expect(n.meta.effective).toBeNull();
    expect(n.notes).toContain('effective: not found in the text; a sidecar can set it');
  });

  it('lets a sidecar set kind, expiry and date of effect', () => {
    const n = ingest(
      'side-2022-01-01',
      ['关于医保经办的通知', '一、网上办理。'],
      'version: 1\nkind: temporary\nexpires: "2022-06-30"\neffective: "2022-01-05"\neffectiveText: 自1月5日起执行\n',
    );
    expect(n.meta).toMatchObject({ kind: 'temporary', expires: '2022-06-30', effective: '2022-01-05', effectiveText: '自1月5日起执行' });
    expect(n.metaSources).toMatchObject({ kind: 'sidecar', expires: 'sidecar', effective: 'sidecar' });
  });
});
