/** The project's own knowledge/regions.yaml: it loads, and what it adds to the data is there. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gazetteer } from '../../src/geo/gazetteer.js';
import { projectGazetteer } from '../helpers/knowledge.js';

let g: Gazetteer;
beforeAll(async () => {
  g = await projectGazetteer();
});

const lineage = (form: string) => {
  const p = g.resolve(form)[0];
  return p ? g.lineage(p).map((x) => x.name) : null;
};

describe('knowledge/regions.yaml', () => {
  it('maps the regions of the notices, in either script, to their names', () => {
    expect(['包頭', '北京市', '云南省', '大連市', '商洛市'].map((f) => g.canonical(f))).toEqual(['包头', '北京', '云南', '大连', '商洛']);
    expect(g.canonical('火星')).toBeNull();
  });

  it('adds the colloquial names the data lacks: 旅顺 → 大连, 西海岸新区 → 青岛, 首都 → 北京', () => {
    expect(lineage('旅顺')?.slice(1)).toEqual(['大连', '辽宁', '全国']);
    expect(lineage('西海岸新区')).toEqual(['黄岛', '青岛', '山东', '全国']);
    expect(g.canonical('首都')).toBe('北京');
  });

  it('adds the one-character names of set phrases', () => {
    expect(g.implied('离沪、回京、来渝、返甬').map((m) => m.place.name)).toEqual(['上海', '北京', '重庆', '宁波']);
  });

  it('keeps its ordinary words out of running text but resolvable', () => {
    expect(g.mentions('天下大同')).toEqual([]);
    expect(g.canonical('大同')).toBe('大同');
  });
});
