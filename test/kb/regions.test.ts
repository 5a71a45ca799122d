/** The knowledge base by region: a notice's place, the places it applies to, national notices. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../../src/kb/knowledge-base.js';
import { buildFromDir } from '../../src/kb/load.js';
import { buildReport, formatReport } from '../../src/kb/report.js';
import { KNOWLEDGE_DIR } from '../helpers/knowledge.js';

/** Four small notices written for this test: national, a province's, two cities'. */
const NOTICES: Record<string, string> = {
  'nation-2022-07-01': '国家医疗保障局关于做好异地就医备案的通知\n一、备案可在网上办理。\n国家医疗保障局\n2022年7月1日',
  'province-2022-03-01': '贵州省医疗保障局关于大病保险的通知\n一、起付线统一为1万元。\n贵州省医疗保障局\n2022年3月1日',
  'city-2022-04-06': '青岛市医疗保障局关于优化医保经办服务的公告\n一、业务可网上办理。\n青岛市医疗保障局\n2022年4月6日',
  'other-2021-03-15': '宁波市医疗保障局关于阶段性缓缴的通知\n一、缓缴期最长3个月。\n宁波市医疗保障局\n2021年3月15日',
};

let dir: string;
let kb: KnowledgeBase;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hl-kb-regions-'));
  await mkdir(join(dir, 'notices'));
  await writeFile(join(dir, 'regions.yaml'), await readFile(join(KNOWLEDGE_DIR, 'regions.yaml')));
  for (const [stem, text] of Object.entries(NOTICES)) await writeFile(join(dir, 'notices', `${stem}.txt`), text);
  kb = await buildFromDir(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('regions of the knowledge base', () => {
  it('lists the regions that have notices, 全国 among them', () => {
    expect(kb.regionNames()).toEqual(['全国', '宁波', '贵州', '青岛'].sort());
  });

  it('finds a region’s own notices by any form of its name', () => {
    expect(kb.noticesOf('青島市').map((n) => n.id)).toEqual(['city-2022-04-06']);
    expect(kb.noticesOf('全国').map((n) => n.id)).toEqual(['nation-2022-07-01']);
    expect(kb.noticesOf('黄岛')).toEqual([]);
  });

  it('gives the regions whose notices apply to a place, most specific first, ending with 全国', () => {
    expect(kb.scopesOf('遵义')).toEqual(['贵州', '全国']);
    expect(kb.scopesOf('黄岛')).toEqual(['青岛', '全国']);
    expect(kb.scopesOf('西海岸新区')).toEqual(['青岛', '全国']);
    expect(kb.scopesOf('宁波')).toEqual(['宁波', '全国']);
    expect(kb.scopesOf('海淀')).toEqual(['全国']);
  });

  it('gives no scope for a name that is no place', () => {
    expect(kb.scopesOf('火星')).toEqual([]);
  });
});

describe('the build report', () => {
  it('shows each notice’s region with its level and how it was found, its kind and date of effect', () => {
    const report = buildReport(kb);
    const nation = report.notices.find((n) => n.id === 'nation-2022-07-01');
    expect(nation).toMatchObject({ regionLevel: 'country', metaEvidence: { region: 'national', authority: 'title' } });
    const text = formatReport(report);
    expect(text).toMatch(/■ nation-2022-07-01[\s\S]*?region {5}全国 \(country; national\)/);
    expect(text).toMatch(/■ city-2022-04-06[\s\S]*?region {5}青岛 \(city; authority\)/);
    expect(text).toMatch(/■ other-2021-03-15[\s\S]*?kind {7}standing/);
    expect(text).toMatch(/■ province-2022-03-01[\s\S]*?effective {2}— \[none\][\s\S]*?note {7}effective: not found in the text/);
  });
});
