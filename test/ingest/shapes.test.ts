/** Notice shapes met in the wild, each as a small text: how ingestion splits and labels them. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gazetteer } from '../../src/geo/gazetteer.js';
import { ingestNotice, type Notice } from '../../src/ingest/notice.js';
import { projectGazetteer } from '../helpers/knowledge.js';

let regions: Gazetteer;
beforeAll(async () => {
  regions = await projectGazetteer();
});

function ingest(stem: string, text: string): Notice {
  return ingestNotice({ stem, file: `${stem}.txt`, bytes: new TextEncoder().encode(text) }, regions);
}

const paths = (n: Notice) => n.clauses.map((c) => c.path);

describe('clause splitting', () => {
  it('splits a notice written on one line with items marked only inline (一、…。二、…)', () => {
    const n = ingest(
      'oneline-2020-02-01',
      '临沂市医疗保障局关于疫情期间医保经办的通知临医保发〔2020〕2号 各定点医药机构：现通知如下：一、暂停窗口业务，改为网上办理。二、慢性病处方用药量可放宽至2个月。三、医疗费用报销可推迟3个月办理。临沂市医疗保障局2020年2月1日',
    );
    expect(paths(n)).toEqual(['preamble', '一', '二', '三', 'signature']);
    expect(n.meta).toMatchObject({
      title: '临沂市医疗保障局关于疫情期间医保经办的通知',
      docNumber: '临医保发〔2020〕2号',
      date: '2020-02-01',
      region: '临沂',
    });
    expect(n.clauses[0]?.quote).toBe('各定点医药机构：现通知如下：');
    expect(n.clauses.find((c) => c.path === '二')?.quote).toBe('二、慢性病处方用药量可放宽至2个月。');
  });

  it('splits 一是…二是… inside an item into sub-clauses', () => {
    const n = ingest(
      'shi-2020-03-01',
      '一、优化服务。工作要求如下：一是推行网上办理；二是开通电话预约；三是延长办理时限至疫情结束后3个月内。\n二、加强宣传。',
    );
    expect(paths(n)).toEqual(['一', '一.一', '一.二', '一.三', '二']);
    expect(n.clauses.find((c) => c.path === '一.三')?.quote).toBe('三是延长办理时限至疫情结束后3个月内。');
  });

  it('does not take a number inside a sentence for an item', () => {
    const n = ingest('numbers-2020-03-01', '一、拨付资金2.5亿元，其中1.5亿元用于救治。\n二、截至3月1日，已办理3.2万人次。');
    expect(paths(n)).toEqual(['一', '二']);
  });

  it('gives each paragraph its own clause when a notice has no structure at all', () => {
    const n = ingest(
      'plain-2021-05-06',
      '本市医保部门提醒参保人员：疫情期间可通过网上办理医保业务，无需到窗口排队。\n参保人员异地就医的，可通过国家医保服务平台APP办理备案。\n如有疑问，请拨打咨询电话12393。',
    );
    expect(n.structure).toBe('paragraphs');
    expect(paths(n)).toEqual(['p1', 'p2', 'p3']);
    expect(n.facts.find((f) => f.type === 'phone')).toMatchObject({ number: '12393', kind: 'service' });
  });

  it('nests (一) under 一、 and 1. under (一), with the heading chain', () => {
    const n = ingest(
      'nested-2020-04-01',
      '一、总体要求\n（一）经办服务。做好经办。\n1.网上办理。全部网上办。\n2.电话办理。开通热线。\n（二）结算服务。\n二、保障措施',
    );
    expect(paths(n)).toEqual(['一', '一.一', '一.一.1', '一.一.2', '一.二', '二']);
    expect(n.clauses.find((c) => c.path === '一.一.2')?.headings).toEqual(['总体要求', '经办服务', '电话办理']);
    expect(n.clauses.find((c) => c.path === '一.一.2')?.parent).toBe('一.一');
  });

  it('keeps the ids of repeated numbering unique', () => {
    const n = ingest('repeat-2020-04-01', '一、甲事项。\n二、乙事项。\n二、丙事项。');
    expect(paths(n)).toEqual(['一', '二', '二~2']);
  });
});

describe('metadata', () => {
  it('infers the region from a set phrase (离沪) when no issuing body is named, and the date from the file name', () => {
    const n = ingest(
      'press-2020-02-09',
      '疫情期间离沪人员医保报销有新规\n本报记者 张三\n离沪期间在外地就医的参保人员，可在返沪后补办报销手续。\n本市医保部门表示，相关业务可网上办理。',
    );
    expect(n.meta.region).toBe('上海');
    expect(n.meta.date).toBe('2020-02-09');
    expect(n.metaSources.date).toBe('filename');
    expect(n.meta.title).toBe('疫情期间离沪人员医保报销有新规');
    expect(n.meta.authority).toBeNull();
    expect(n.notes).toContain('authority: not found in the text; a sidecar can set it');
  });

  it('leaves the region unknown and says so when the text does not support one', () => {
    const n = ingest('nowhere', '关于做好医保经办工作的通知\n一、本市各经办机构要做好服务。');
    expect(n.meta.region).toBeNull();
    expect(n.meta.date).toBeNull();
    expect(n.notes).toEqual(
      expect.arrayContaining(['region: not found in the text; a sidecar can set it', 'date: not found in the text; a sidecar can set it']),
    );
  });

  it('does not take a document cited in the text for the notice’s own 文号', () => {
    const n = ingest(
      'cited-2020-01-30',
      '关于转发医保文件的通知\n各县区：\n根据《关于做好医保工作的通知》（陕医保发〔2020〕3号）精神，现转发如下。\n一、认真执行。',
    );
    expect(n.meta.docNumber).toBeNull();
  });

  it('completes a partial signature date from the file name when they agree', () => {
    const n = ingest('partial-2020-01-28', '某省医疗保障局关于疫情防控的通知\n一、做好保障。\n某省医疗保障局\n2020年1月 日');
    expect(n.meta.date).toBe('2020-01-28');
    expect(n.meta.dateText).toBe('2020年1月 日');
    expect(n.metaSources.date).toBe('filename');
  });

  it('takes a region named once in a headline from its issuing body in Traditional', () => {
    const n = ingest('tw-2020-02-02', '大連市醫療保障局關於延長醫保服務協議的通知\n一、服務協議有效期延長至2020年3月31日。');
    expect(n.meta.region).toBe('大连');
    expect(n.facts.find((f) => f.type === 'deadline')).toMatchObject({ iso: '2020-03-31' });
  });
});
