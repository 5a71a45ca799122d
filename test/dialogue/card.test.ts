/**
 * Issue 13, item 6: a region's quick-reference card holds what a hotline agent reads out — contacts with
 * their offices and hours, limits and sums tied to what a caller can have or must do — not every number a
 * notice prints (期限 24小时, 金额 4000万). The rule is general: it holds on the project's notices, on the
 * project's other set (test/eval/other) and on the shared generality set, and the code names no place.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Card, type CardEntry, regionCard, shortTitle } from '../../src/dialogue/card.js';
import { knowledgeWith } from '../../src/eval/knowledge-copy.js';
import type { KnowledgeBase } from '../../src/kb/knowledge-base.js';
import { buildFromDir } from '../../src/kb/load.js';
import { KNOWLEDGE_DIR, projectKnowledge, ROOT } from '../helpers/knowledge.js';

const OTHER = join(ROOT, 'test', 'eval', 'other', 'notices');
const GENERALITY = join(ROOT, '..', 'shared', 'eval', 'generality', 'notices');

/** The project's knowledge with another folder of notices dropped in, as `npm run eval -- --notices DIR` builds it. */
async function withNotices(dir: string): Promise<{ kb: KnowledgeBase; remove: () => Promise<void> }> {
  const copy = await knowledgeWith(KNOWLEDGE_DIR, [dir]);
  return { kb: await buildFromDir(copy.dir), remove: copy.remove };
}

const texts = (card: Card, type: CardEntry['type']) => card.entries.filter((e) => e.type === type).map((e) => e.text);

let project: KnowledgeBase;
let other: { kb: KnowledgeBase; remove: () => Promise<void> };
beforeAll(async () => {
  project = await projectKnowledge();
  other = await withNotices(OTHER);
}, 60_000);
afterAll(() => other?.remove());

describe('the card of a project notice', () => {
  it('lists 包头’s three numbers, each with its office, and its web address', () => {
    const card = regionCard(project, '包头');
    const phones = card.entries.filter((e) => e.type === 'phone');
    expect(phones.map((e) => e.text)).toEqual(['0472-6970828', '0472-6970829', '0472-6169515']);
    for (const p of phones) {
      expect(p.label).toBeTruthy();
      expect(p.sentence).toContain(p.text);
    }
    expect(texts(card, 'url')).toHaveLength(1);
  });

  it('leaves out a bare duration and a fund moved to hospitals (大连: 期限 24小时, 金额 4000万)', () => {
    const card = regionCard(project, '大连');
    expect(texts(card, 'duration')).not.toContain('24小时');
    expect(card.entries.filter((e) => e.type === 'money')).toEqual([]);
    // The hotline keeps its hours, read from its own words (24小时医保热线).
    expect(card.entries.find((e) => e.type === 'phone')).toMatchObject({ text: '83709222', hours: '24小时' });
  });

  it('shows a value stated once as its most specific kind: a prescription not also as a duration, a cap not also as a sum', () => {
    const baotou = regionCard(project, '包头');
    expect(texts(baotou, 'prescription')).toEqual(['三個月', '兩個月']);
    expect(texts(baotou, 'duration')).not.toContain('三個月');
    const shangluo = regionCard(project, '商洛');
    expect(texts(shangluo, 'cap')).toContain('年度限额为3万元');
    expect(texts(shangluo, 'money')).toEqual([]);
  });

  it('leaves out a threshold for review as a prescription quantity (北京: 开药量超过3个月的…把关)', () => {
    const card = regionCard(project, '北京');
    expect(card.entries.filter((e) => e.clause === '7')).toEqual([]);
    expect(texts(card, 'deadline')).toContain('疫情结束后三个月内');
  });

  it('names each source by the notice’s short title, never its file stem', () => {
    const card = regionCard(project, '包头');
    expect(card.sources).toEqual([
      expect.objectContaining({ notice: 'baotou-2022-10-08', source: '做好新冠肺炎疫情防控期间医疗保险经办业务', date: '2022-10-08' }),
    ]);
    for (const region of project.regionNames()) {
      for (const e of regionCard(project, region).entries) {
        expect(e.source).not.toContain(e.notice);
        expect(e.source.length).toBeLessThanOrEqual(20);
      }
    }
  });
});

describe('a notice’s short title', () => {
  const meta = { authority: null, region: null, date: null } as const;
  it('drops the issuer before 关于, a headline’s city and the kind of document, and cuts a long one', () => {
    const at = (title: string) => shortTitle({ ...meta, title } as never);
    expect(at('北京市医疗保障局关于做好医保经办服务的通知')).toBe('做好医保经办服务');
    expect(at('关于印发医保经办工作方案的通知')).toBe('医保经办工作方案');
    expect(at('合肥：医保电子凭证实现扫码购药')).toBe('医保电子凭证实现扫码购药');
    expect(at('关于防控新型冠状病毒感染的肺炎疫情期间全面优化医疗保障经办服务的通知')).toBe('防控新型冠状病毒感染的肺炎疫情期间全面…');
  });

  it('names an untitled notice by its issuer and date', () => {
    expect(shortTitle({ ...meta, title: null, authority: '某市医疗保障局', date: '2022-05-01' } as never)).toBe(
      '某市医疗保障局 2022-05-01',
    );
  });
});

describe('the card of notices the code has never seen', () => {
  it('holds the same rule on the project’s other set: hours with a phone, a per-person sum, no bare statistic', () => {
    const changchun = regionCard(other.kb, '长春');
    expect(changchun.entries.find((e) => e.type === 'phone')?.hours).toBe('工作日８:３０—１６:３０');
    const hunan = regionCard(other.kb, '湖南');
    expect(texts(hunan, 'money')).toContain('350元');
    // 划入额度按…平均水平的2.5%左右确定: how an account is funded, no benefit a caller is quoted.
    expect(texts(regionCard(other.kb, '全国'), 'ratio')).not.toContain('2.5%');
  });

  it.skipIf(!existsSync(GENERALITY))('holds on the shared generality set', async () => {
    const { kb, remove } = await withNotices(GENERALITY);
    try {
      // A statistic (激活率约72%) is no benefit; 海南’s contribution and its subsidy are.
      expect(texts(regionCard(kb, '合肥'), 'ratio')).toEqual([]);
      expect(texts(regionCard(kb, '海南'), 'money')).toEqual(['360元', '180元']);
      // A time limit named as one (待遇等待期, 有效期不少于180天) stays; a bare one (备案满3个月后) goes.
      expect(texts(regionCard(kb, '海南'), 'duration')).toContain('90天');
      expect(texts(regionCard(kb, '全国'), 'duration')).toEqual(['180天']);
      expect(regionCard(kb, '青岛').entries.find((e) => e.type === 'phone')).toMatchObject({
        label: '全市医保服务热线',
        hours: '工作日8:30-17:00',
      });
      expect(texts(regionCard(kb, '海南'), 'phone')).toHaveLength(4);
    } finally {
      await remove();
    }
  });

  it('is decided by rules in code that names no place and no notice', async () => {
    const code = (await Promise.all(['card.ts', 'card-answer.ts'].map((f) => readFile(join(ROOT, 'src', 'dialogue', f), 'utf8')))).join(
      '\n',
    );
    const names = new Set([...project.regionNames(), ...other.kb.regionNames()]);
    for (const name of names) expect(code, name).not.toContain(name);
    for (const n of other.kb.notices) expect(code).not.toContain(n.id);
  });
});
