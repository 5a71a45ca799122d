/**
 * Generality: notices in shapes the five starting ones don't have, written for this test, ingest with no
 * code change — articles (第一条…), an attachment table of offices and phone numbers with the issuing
 * bodies listed before the title, a Traditional-character notice from a city the region table doesn't list.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LoadResult, loadNotices } from '../../src/ingest/load.js';
import type { Notice } from '../../src/ingest/notice.js';
import { FIXTURES, projectGazetteer } from '../helpers/knowledge.js';

let loaded: LoadResult;
beforeAll(async () => {
  loaded = await loadNotices(join(FIXTURES, 'notices'), await projectGazetteer());
});

function notice(id: string): Notice {
  const n = loaded.notices.find((x) => x.id === id);
  if (!n) throw new Error(`${id} not loaded`);
  return n;
}

describe('a notice numbered by articles (第一条…第五条)', () => {
  it('splits one clause per article with ids 第一条…', () => {
    const n = notice('hangzhou-2020-03-02');
    expect(n.clauses.filter((c) => c.kind === 'policy').map((c) => c.path)).toEqual(['第一条', '第二条', '第三条', '第四条', '第五条']);
    expect(n.meta).toMatchObject({ authority: '杭州市医疗保障局', docNumber: '杭医保〔2020〕12号', date: '2020-03-02', region: '杭州' });
  });

  it('finds its facts: a relative deadline, a prescription cap in weeks, a ratio with its cap, a phone, a date deadline', () => {
    const f = notice('hangzhou-2020-03-02').facts;
    expect(f.find((x) => x.type === 'deadline' && x.relative)?.text).toBe('疫情结束后6个月内');
    expect(f.find((x) => x.type === 'prescription')).toMatchObject({ value: 12, unit: 'week', relation: 'max' });
    expect(f.find((x) => x.type === 'ratio')).toMatchObject({ percent: 85 });
    expect(f.find((x) => x.type === 'cap')).toMatchObject({ amount: 50_000 });
    expect(f.find((x) => x.type === 'phone')).toMatchObject({ number: '0571-87001234', kind: 'landline' });
    expect(f.find((x) => x.type === 'deadline' && x.iso)).toMatchObject({ iso: '2020-06-30' });
    expect(f.filter((x) => x.type === 'channel').map((x) => x.type === 'channel' && x.name)).toContain('浙里办');
  });
});

describe('a notice with its issuing bodies listed before the title and an attachment table of offices', () => {
  it('names both issuing bodies once each and recognises the signature and the attachment', () => {
    const n = notice('suzhou-2022-04-15');
    expect(n.meta.authority).toBe('苏州市医疗保障局、苏州市财政局');
    expect(n.meta.region).toBe('苏州');
    expect(n.clauses.map((c) => [c.path, c.kind])).toEqual([
      ['preamble', 'preamble'],
      ['一', 'policy'],
      ['二', 'policy'],
      ['三', 'policy'],
      ['signature', 'signature'],
      ['附件', 'attachment'],
    ]);
  });

  it('ties each phone number in the table to its office', () => {
    const phones = notice('suzhou-2022-04-15').facts.filter((f) => f.type === 'phone');
    expect(phones.map((p) => p.type === 'phone' && [p.number, p.purpose, p.clause])).toEqual([
      ['0512-65221001', '姑苏区医保中心 三香路1号', 'suzhou-2022-04-15#附件'],
      ['0512-65222002', '吴中区医保中心 东吴北路2号', 'suzhou-2022-04-15#附件'],
      ['0512-65223003', '相城区医保中心 阳澄湖东路3号', 'suzhou-2022-04-15#附件'],
    ]);
  });
});

describe('a Traditional-character notice from a city not in the region table', () => {
  it('infers its metadata and takes the region from its authority, in Simplified', () => {
    const n = notice('guangzhou-2020-02-10');
    expect(n.script).toBe('traditional');
    expect(n.meta).toMatchObject({
      title: '廣州市醫療保障局關於疫情防控期間優化醫療保障服務的通知',
      authority: '廣州市醫療保障局',
      docNumber: '穗醫保函〔2020〕25號',
      date: '2020-02-10',
      region: '广州',
    });
  });

  it('matches on its Simplified form and quotes its Traditional original', () => {
    const n = notice('guangzhou-2020-02-10');
    const c = n.clauses.find((x) => x.path === '三');
    expect(c?.quote).toBe('三、參保人因疫情未能按時辦理的醫療費用報銷，可延長至疫情結束後三個月內辦理。');
    expect(c?.norm).toBe('三、参保人因疫情未能按时办理的医疗费用报销,可延长至疫情结束后三个月内办理。');
    expect(n.facts.find((f) => f.type === 'phone')).toMatchObject({ number: '020-12345678', kind: 'hotline', purpose: '醫保服務熱線' });
    expect(n.facts.find((f) => f.type === 'prescription')).toMatchObject({ value: 3, quantity: '三個月' });
  });
});

it('loads every fixture notice with none skipped', () => {
  expect(loaded.skipped).toEqual([]);
  expect(loaded.notices).toHaveLength(3);
});
