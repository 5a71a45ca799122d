/**
 * Golden tests: what ingestion makes of each of the five notices the knowledge base starts from —
 * metadata, clause counts, sample clause ids with their quotes, and facts with exact values.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../src/ingest/facts/index.js';
import type { Notice } from '../../src/ingest/notice.js';
import type { KnowledgeBase } from '../../src/kb/knowledge-base.js';
import { projectKnowledge } from '../helpers/knowledge.js';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await projectKnowledge();
});

function notice(id: string): Notice {
  const n = kb.notice(id);
  if (!n) throw new Error(`notice ${id} not loaded`);
  return n;
}

function clause(id: string) {
  const c = kb.clause(id);
  if (!c) throw new Error(`clause ${id} not found`);
  return c;
}

function facts<T extends Fact['type']>(noticeId: string, type: T): Extract<Fact, { type: T }>[] {
  return notice(noticeId).facts.filter((f): f is Extract<Fact, { type: T }> => f.type === type);
}

function policyCount(n: Notice): number {
  return n.clauses.filter((c) => c.kind === 'policy').length;
}

describe('all five notices', () => {
  it('load with none skipped', () => {
    expect(kb.notices.map((n) => n.id)).toEqual([
      'baotou-2022-10-08',
      'beijing-2020-02-07',
      'dalian-2020-02-20',
      'shangluo-2022-08-01',
      'yunnan-2020-01',
    ]);
    expect(kb.skipped).toEqual([]);
  });

  it('quote every clause exactly from the clean text, and every fact exactly from its clause', () => {
    for (const n of kb.notices) {
      for (const c of n.clauses) expect(n.text.slice(c.start, c.end)).toBe(c.quote);
      for (const f of n.facts) expect(clause(f.clause).quote.slice(f.start, f.end)).toBe(f.text);
    }
  });

  it('takes all five for temporary COVID-era measures, with no stated end or date of effect', () => {
    for (const n of kb.notices) expect(n.meta).toMatchObject({ kind: 'temporary', expires: null, effective: null });
    expect(kb.notices.map((n) => n.metaEvidence.region)).toEqual(['authority', 'authority', 'authority', 'authority', 'authority']);
  });

  it('gives every clause a unique id of the form <notice>#<path>', () => {
    const ids = kb.notices.flatMap((n) => n.clauses.map((c) => c.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const n of kb.notices) for (const c of n.clauses) expect(c.id).toBe(`${n.id}#${c.path}`);
  });
});

describe('baotou-2022-10-08 (Traditional, pinyin annotations, mojibake repaired by its sidecar)', () => {
  it('infers title, authority, date and region, and finds no 文号', () => {
    const n = notice('baotou-2022-10-08');
    expect(n.script).toBe('traditional');
    expect(n.meta).toMatchObject({
      title: '關于做好新冠肺炎疫情防控期間醫療保險經辦業務的緊急通知',
      authority: '包頭市醫療保險服務中心',
      docNumber: null,
      date: '2022-10-08',
      region: '包头',
    });
  });

  it('strips the pinyin annotations and applies the three sidecar corrections, leaving no suspected damage', () => {
    const n = notice('baotou-2022-10-08');
    expect(n.text).not.toMatch(/\((?:yī|jīng|yè)\)/);
    expect(n.corrections.map((c) => c.count)).toEqual([2, 1, 1]);
    expect(n.damage).toEqual([]);
    expect(n.text).toContain('門診特殊慢性病(門診特殊用藥)');
  });

  it('splits 15 items and the six sub-items of 十二', () => {
    const n = notice('baotou-2022-10-08');
    expect(policyCount(n)).toBe(21);
    expect(n.clauses.filter((c) => c.depth === 1 && c.kind === 'policy').map((c) => c.path)).toEqual([
      '一',
      '二',
      '三',
      '四',
      '五',
      '六',
      '七',
      '八',
      '九',
      '十',
      '十一',
      '十二',
      '十三',
      '十四',
      '十五',
    ]);
    expect(clause('baotou-2022-10-08#十二.四').quote).toBe(
      '(四)有特殊緊急情況可通過工作微信群、電話等方式進行咨詢,企、事業單位業務咨詢電話:0472-6970828,靈活就業和全國范圍內轉移接續咨詢電話:0472-6970829。',
    );
    expect(clause('baotou-2022-10-08#十二.四').headings[0]).toBe('市醫保核定類業務做如下調整');
    expect(clause('baotou-2022-10-08#五').quote.startsWith('五、為保障門診特殊慢性病(門診特殊用藥)患者長期用藥需求')).toBe(true);
  });

  it('finds the prescription quantity per disease group', () => {
    const p = facts('baotou-2022-10-08', 'prescription');
    expect(p.map((f) => [f.group, f.quantity, f.value, f.unit])).toEqual([
      ['高血壓三級高危、糖尿病(注射胰島素治療)兩類門診慢性病', '三個月', 3, 'month'],
      ['其他門診慢性病病種', '兩個月', 2, 'month'],
    ]);
    expect(p.every((f) => f.clause === 'baotou-2022-10-08#五')).toBe(true);
  });

  it('finds each phone number with the office or purpose it serves', () => {
    const phones = facts('baotou-2022-10-08', 'phone').map((f) => [f.number, f.purpose, f.clause.split('#')[1]]);
    expect(phones).toEqual([
      ['0472-6970828', '企、事業單位業務咨詢', '十二.四'],
      ['0472-6970829', '靈活就業和全國范圍內轉移接續咨詢', '十二.四'],
      ['0472-6169515', '無第三方責任意外傷害患者住院備案（市外醫療機構住院）', '十三'],
    ]);
  });

  it('finds durations, relative deadlines, the URL and the named channels', () => {
    const durations = facts('baotou-2022-10-08', 'duration').map((f) => [f.text, f.value, f.unit, f.relation]);
    expect(durations).toContainEqual(['2個月', 2, 'month', 'defer']);
    expect(durations).toContainEqual(['一個月', 1, 'month', 'defer']);
    expect(durations).toContainEqual(['7個工作日', 7, 'workday', 'within']);
    const deadlines = facts('baotou-2022-10-08', 'deadline').map((f) => f.relative);
    expect(deadlines).toEqual(['住院7個工作日內', '從住院當日順延1個月內']);
    expect(facts('baotou-2022-10-08', 'url').map((f) => f.url)).toEqual(['https://ylbzj.nmg.gov.cn/ggfw/hallEnter/#/Index']);
    const channels = facts('baotou-2022-10-08', 'channel').map((f) => f.name);
    expect(channels).toEqual(expect.arrayContaining(['內蒙古稅務社保繳費', '國家醫保服務平臺APP', '蒙速辦APP', '支付寶市民中心']));
    expect(facts('baotou-2022-10-08', 'channel').find((f) => f.name === '內蒙古稅務社保繳費')?.form).toBe('mini-program');
  });
});

describe('beijing-2020-02-07 (the whole notice on one line)', () => {
  it('infers title, 文号, authority, date and region', () => {
    expect(notice('beijing-2020-02-07').meta).toMatchObject({
      title: '北京市医疗保障局关于防控新型冠状病毒感染的肺炎疫情期间全面优化医疗保障经办服务的通知',
      authority: '北京市医疗保障局',
      docNumber: '京医保发〔2020〕4号',
      date: '2020-02-07',
      region: '北京',
    });
  });

  it('splits along its 1、…12、 items and recognises the signature at the end of the line', () => {
    const n = notice('beijing-2020-02-07');
    expect(n.clauses.filter((c) => c.kind === 'policy').map((c) => c.path)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
      '11',
      '12',
    ]);
    expect(clause('beijing-2020-02-07#10').heading).toBe('登记缴费类业务可申请延期，减轻企业经营压力');
    expect(clause('beijing-2020-02-07#signature').quote).toBe('北京市医疗保障局2020年2月7日');
    expect(clause('beijing-2020-02-07#preamble').quote.startsWith('各区医疗保障局，北京经济技术开发区社会事业局')).toBe(true);
  });

  it('normalizes the deadlines of item 10, and keeps the relative one as text', () => {
    const d = facts('beijing-2020-02-07', 'deadline').map((f) => [f.text, f.iso, f.relative]);
    expect(d).toEqual([
      ['2020年3月底', '2020-03-31', null],
      ['2020年7月底', '2020-07-31', null],
      ['疫情结束后三个月内', null, '疫情结束后三个月内'],
    ]);
  });

  it('has no phone number (the notice gives none)', () => {
    expect(facts('beijing-2020-02-07', 'phone')).toEqual([]);
  });
});

describe('dalian-2020-02-20 (a press report: headline, by-line, no 文号, no date in the text)', () => {
  it('takes the headline as title, the bureau it reports on as authority, and the date from the file name', () => {
    const n = notice('dalian-2020-02-20');
    expect(n.meta).toMatchObject({
      title: '第七场专题发布会聚焦疫情防控医疗保障工作',
      authority: '大连市医疗保障局',
      docNumber: null,
      date: '2020-02-20',
      region: '大连',
    });
    expect(n.metaSources.date).toBe('filename');
    expect(n.header).toEqual(['第七场专题发布会聚焦疫情防控医疗保障工作', '大连新闻传媒集团记者于艳新']);
  });

  it('splits along its sub-headings and the 一是…二是… items under them', () => {
    const n = notice('dalian-2020-02-20');
    expect(n.structure).toBe('headings');
    expect(n.clauses.filter((c) => c.depth === 1 && c.kind === 'policy')).toHaveLength(6);
    expect(clause('dalian-2020-02-20#s3.四').quote).toBe(
      '四是简化透析审核方式，将透析审核业务调整为疫情期间先自动通过，待疫情结束后再进行审核。',
    );
    expect(clause('dalian-2020-02-20#s3.六').headings[0]).toBe('6项举措确保医保经办服务不间断：医保热线电话24小时运行');
  });

  it('finds the 24-hour hotline, the prescription cap, the fund amount and the agreement deadline', () => {
    expect(facts('dalian-2020-02-20', 'phone').map((f) => [f.number, f.kind, f.purpose])).toEqual([
      ['83709222', 'hotline', '24小时医保热线'],
    ]);
    expect(facts('dalian-2020-02-20', 'prescription').map((f) => [f.group, f.value, f.relation])).toEqual([
      ['享受门诊高值药品、门诊慢性病和普通门诊统筹', 3, 'max'],
    ]);
    expect(facts('dalian-2020-02-20', 'money').map((f) => f.amount)).toEqual([40_000_000, 40_000_000]);
    expect(facts('dalian-2020-02-20', 'deadline').map((f) => [f.iso, f.relative])).toEqual([
      ['2020-03-31', null],
      [null, '疫情解除后3个月内'],
    ]);
  });
});

describe('shangluo-2022-08-01 (文号 and issuing body before the title)', () => {
  it('infers 文号, authority, title, date and region', () => {
    expect(notice('shangluo-2022-08-01').meta).toMatchObject({
      title: '关于积极应对疫情影响助力市场主体和服务对象纾困解难的通知',
      authority: '商洛市医疗保障局',
      docNumber: '商医保发〔2022〕40号',
      date: '2022-08-01',
      region: '商洛',
    });
  });

  it('nests the 16 numbered measures under the four sections, ids following the notice numbering', () => {
    const n = notice('shangluo-2022-08-01');
    expect(policyCount(n)).toBe(20);
    expect(clause('shangluo-2022-08-01#二.6').heading).toBe('切实保障困难群众待遇水平');
    expect(clause('shangluo-2022-08-01#四.15').quote.startsWith('15.开设医保经办服务绿色通道')).toBe(true);
    expect(n.removed.markup).toBe(1);
  });

  it('finds the assistance ratios with who they apply to and their caps', () => {
    expect(facts('shangluo-2022-08-01', 'ratio').map((f) => [f.percent, f.subject, f.relation])).toEqual([
      [100, '特困人员、孤儿、事实无人抚养儿童', 'is'],
      [70, '低保对象、返贫致贫人口', 'is'],
      [50, '纳入低收入范围或易返贫致贫人口', 'is'],
      [10, '0-14周岁（含）未成年人', 'increase'],
    ]);
    expect(facts('shangluo-2022-08-01', 'cap').map((f) => [f.amount, f.subject])).toEqual([
      [null, '特困人员、孤儿、事实无人抚养儿童'],
      [30_000, '低保对象、返贫致贫人口'],
      [20_000, '纳入低收入范围或易返贫致贫人口'],
    ]);
  });

  it('finds the deferral cap and the relative deadline for late business', () => {
    expect(facts('shangluo-2022-08-01', 'duration').map((f) => [f.clause.split('#')[1], f.value, f.relation])).toContainEqual([
      '一.1',
      3,
      'max',
    ]);
    expect(facts('shangluo-2022-08-01', 'deadline').map((f) => [f.iso, f.relative])).toEqual([
      [null, '自封闭管理（静态管理）结束后3个月内'],
      ['2022-12-31', null],
    ]);
  });
});

describe('yunnan-2020-01 (a cover letter, a plan, and an attachment table)', () => {
  it('joins the title broken over two lines and keeps the partial date partial', () => {
    const n = notice('yunnan-2020-01');
    expect(n.meta).toMatchObject({
      title: '云南省医疗保障局关于印发做好新型冠状病毒感染的肺炎疫情防控医疗保障经办服务工作方案的通知',
      authority: '云南省医疗保障局',
      docNumber: null,
      date: '2020-01',
      dateText: '2020年1月 日',
      region: '云南',
    });
  });

  it('gives clause ids such as 三.六 and recognises the attachments and the distribution line', () => {
    const n = notice('yunnan-2020-01');
    expect(policyCount(n)).toBe(22);
    expect(clause('yunnan-2020-01#三.六').headings).toEqual(['细化经办措施', '做好疾病编码对应']);
    expect(clause('yunnan-2020-01#三.六').quote).toContain('主要诊断编码为J12.800，附加编码为B97.200');
    expect(n.clauses.filter((c) => c.kind === 'attachment').map((c) => c.path)).toEqual(['附件1', '附件1~2', '附件2']);
    expect(clause('yunnan-2020-01#signature~2').quote).toBe('抄送：各级医保经办机构，各定点医疗机构、定点零售药店');
    expect(clause('yunnan-2020-01#附件2').quote).toContain('填表说明');
  });

  it('finds the diagnosis codes with their labels, the 90% ratio and the contact mobiles', () => {
    expect(facts('yunnan-2020-01', 'code').map((f) => [f.code, f.label])).toEqual([
      ['J12.800', '疾病主要诊断编码'],
      ['B97.200', '附加编码'],
      ['Z03.800', '附加编码'],
    ]);
    expect(facts('yunnan-2020-01', 'ratio').find((f) => f.clause === 'yunnan-2020-01#三.五')).toMatchObject({
      percent: 90,
      measure: '报销',
    });
    expect(facts('yunnan-2020-01', 'phone').map((f) => [f.number, f.kind, f.purpose])).toEqual([
      ['13888982998', 'mobile', '联系人：王天龙、王艳霞'],
      ['13808739168', 'mobile', '联系人：王天龙、王艳霞'],
    ]);
    expect(facts('yunnan-2020-01', 'channel').map((f) => f.name)).toEqual(['一部手机办事通']);
  });
});
