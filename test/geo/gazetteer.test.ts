import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gazetteer, loadGazetteer, type Place } from '../../src/geo/gazetteer.js';
import { matchForm } from '../../src/ingest/normalize.js';

/** A regions file of the shape knowledge/regions.yaml has, small enough to read in the test. */
const REGIONS = `version: 2
abbreviations: { 京: 北京, 沪: 上海, 渝: 重庆 }
aliases: { 首都: 北京, 旅顺: 旅顺口区, 西海岸新区: 黄岛区, 中国: 全国 }
ordinaryWords: [大同]
`;

let dir: string;
let g: Gazetteer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hl-geo-'));
  await writeFile(join(dir, 'regions.yaml'), REGIONS);
  g = await loadGazetteer(join(dir, 'regions.yaml'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function place(form: string): Place {
  const p = g.resolve(form)[0];
  if (!p) throw new Error(`${form} names no place`);
  return p;
}
const names = (places: readonly Place[]) => places.map((p) => p.name);
const lineage = (form: string) => names(g.lineage(place(form)));
const mentions = (text: string) => g.mentions(matchForm(text)).map((m) => [m.form, m.place.name]);

describe('places', () => {
  it('holds every province, city and county of GB/T 2260 under a synthetic 全国', () => {
    const all = g.all();
    expect(all.filter((p) => p.level === 'province')).toHaveLength(34);
    expect(all.filter((p) => p.level === 'county').length).toBeGreaterThan(3000);
    expect(g.get('000000')).toMatchObject({ name: Gazetteer.NATIONAL, level: 'country', parent: null });
    for (const p of all) expect(g.lineage(p).at(-1)?.name).toBe('全国');
  });

  it('gives every place a unique name', () => {
    const all = g.all();
    expect(new Set(names(all)).size).toBe(all.length);
    for (const p of all) expect(g.canonical(p.name)).toBe(p.name);
  });

  it('names places by the short form people say', () => {
    expect(
      ['北京市', '内蒙古自治区', '广西壮族自治区', '包头市', '大连市', '黔东南苗族侗族自治州', '海淀区', '慈溪市', '黄岛区'].map((f) =>
        g.canonical(f),
      ),
    ).toEqual(['北京', '内蒙古', '广西', '包头', '大连', '黔东南', '海淀', '慈溪', '黄岛']);
    expect(place('海淀')).toMatchObject({ code: '110108', fullName: '海淀区', level: 'county' });
  });

  it('hangs a municipality’s districts from the municipality itself', () => {
    expect(lineage('海淀')).toEqual(['海淀', '北京', '全国']);
    expect(place('北京')).toMatchObject({ level: 'province', parent: '000000' });
  });

  it('hangs a county from its city, and a province-administered county from its province', () => {
    expect(lineage('柞水县')).toEqual(['柞水', '商洛', '陕西', '全国']);
    expect(lineage('遵义')).toEqual(['遵义', '贵州', '全国']);
    expect(lineage('仙桃')).toEqual(['仙桃', '湖北', '全国']);
  });

  it('says which place lies within which', () => {
    expect(g.contains(place('青岛'), place('黄岛'))).toBe(true);
    expect(g.contains(place('全国'), place('黄岛'))).toBe(true);
    expect(g.contains(place('黄岛'), place('青岛'))).toBe(false);
    expect(g.contains(place('青岛'), place('青岛'))).toBe(true);
  });
});

describe('resolving a form', () => {
  it('knows the aliases regions.yaml adds: 旅顺 is in 大连, 西海岸新区 is 黄岛 in 青岛', () => {
    expect(lineage('旅顺')).toEqual(['旅顺口', '大连', '辽宁', '全国']);
    expect(g.canonical('西海岸新区')).toBe('黄岛');
    expect(g.canonical('黄岛区')).toBe('黄岛');
    expect(lineage('西海岸新区').slice(1, 2)).toEqual(['青岛']);
    expect(g.canonical('首都')).toBe('北京');
    expect(g.canonical('中国')).toBe('全国');
  });

  it('prefers the higher level when a province and a place below it share a short form', () => {
    expect(place('海南')).toMatchObject({ level: 'province', fullName: '海南省' });
    expect(names(g.resolve('海南'))).toContain('海南藏族自治州');
    expect(place('吉林')).toMatchObject({ level: 'province' });
    expect(place('吉林市')).toMatchObject({ name: '吉林市', level: 'city' });
  });

  it('lists every place an ambiguous form may mean, each with a unique longer name', () => {
    expect(names(g.resolve('江北区'))).toEqual(['宁波江北区', '重庆江北区']);
    expect(lineage('重庆江北区')).toEqual(['重庆江北区', '重庆', '全国']);
  });

  it('reads Traditional characters and stray spaces', () => {
    expect(g.canonical('黔東南')).toBe('黔东南');
    expect(g.canonical('包頭市')).toBe('包头');
    expect(g.canonical(' 大連 ')).toBe('大连');
  });

  it('returns null for a name that is no place', () => {
    expect(g.canonical('火星')).toBeNull();
    expect(g.resolve('')).toEqual([]);
  });
});

describe('places named in a text', () => {
  it('finds full names, short forms and aliases, in text order', () => {
    expect(mentions('海淀参保人去包头看病，回旅顺后报销')).toEqual([
      ['海淀', '海淀'],
      ['包头', '包头'],
      ['旅顺', '旅顺口'],
    ]);
  });

  it('makes one mention of a place written with its parents (山东省青岛市黄岛区)', () => {
    const [m] = g.mentions('山东省青岛市黄岛区医保中心');
    expect(m).toMatchObject({ form: '山东省青岛市黄岛区', index: 0, length: 9 });
    expect(m?.place.name).toBe('黄岛');
  });

  it('reads an ambiguous district by the city the text names', () => {
    const [, m] = g.mentions('重庆的江北区怎么报销');
    expect(m?.place.name).toBe('重庆江北区');
    expect(names(m?.candidates ?? [])).toEqual(['重庆江北区', '宁波江北区']);
  });

  it('does not take an ordinary word for a county (世界和平, 延长至, 会同)', () => {
    expect(mentions('为了世界和平')).toEqual([]);
    expect(mentions('有效期延长至3个月')).toEqual([]);
    expect(mentions('市医疗保障局会同市财政局')).toEqual([]);
    expect(mentions('东方红，太阳升；平安是福')).toEqual([]);
  });

  it('does not take a word regions.yaml lists as ordinary (大同)', () => {
    expect(mentions('天下大同')).toEqual([]);
    expect(mentions('大同市医保局')).toEqual([['大同市', '大同']]);
  });

  it('does not take a name inside a longer word (太平洋, 三明治, 复合肥, 隆重庆祝)', () => {
    expect(mentions('太平洋上的岛屿')).toEqual([]);
    expect(mentions('三明治和复合肥')).toEqual([]);
    expect(mentions('隆重庆祝')).toEqual([]);
  });

  it('does not read a name across word edges (确保定点, 全市中小企业, 沿海城市)', () => {
    expect(mentions('确保定点医疗机构正常运转')).toEqual([]);
    expect(mentions('全市中小微企业')).toEqual([]);
    expect(mentions('沿海城市')).toEqual([]);
  });

  it('does not take a generic full name for a place (城区, 开发区)', () => {
    expect(mentions('城区和开发区的参保人')).toEqual([]);
    expect(g.resolve('城区').length).toBeGreaterThan(1);
  });

  it('reads a Traditional text in its match form', () => {
    expect(mentions('黔東南州醫保局')).toEqual([['黔东南', '黔东南']]);
  });
});

describe('set phrases', () => {
  it('reads one-character short names after a verb of movement: 离沪, 回京, 来渝', () => {
    expect(g.implied('离沪人员回京后来渝').map((m) => [m.form, m.place.name])).toEqual([
      ['离沪', '上海'],
      ['回京', '北京'],
      ['来渝', '重庆'],
    ]);
    expect(g.implied('沪上')).toEqual([]);
  });
});

describe('the place of an issuing body', () => {
  it.each([
    ['宁波市医疗保障局', '宁波'],
    ['包頭市醫療保險服務中心', '包头'],
    ['国家税务总局海南省税务局', '海南'],
    ['山东省青岛市黄岛区医疗保障局', '黄岛'],
    ['国家医疗保障局', '全国'],
    ['国家医保局办公室', '全国'],
    ['财政部', '全国'],
    ['国家卫生健康委员会', '全国'],
    ['国家税务总局', '全国'],
  ])('%s sits in %s', (body, name) => {
    expect(g.placeOfBody(body)?.name).toBe(name);
  });

  it('settles a body name several places share by the text around it', () => {
    expect(g.placeOfBody('江北区医疗保障局')?.name).toBe('宁波江北区');
    expect(g.placeOfBody('江北区医疗保障局', '本区参保人可在重庆市医保公众号办理')?.name).toBe('重庆江北区');
  });

  it.each(['各区医保中心', '市医保局', '稀土高新区党群工作部'])('%s names no place', (body) => {
    expect(g.placeOfBody(body)).toBeNull();
  });
});

describe('regions.yaml', () => {
  async function load(text: string) {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, text);
    return loadGazetteer(file);
  }

  it('rejects a file that breaks its schema, naming the file and the place', async () => {
    await expect(load('version: 2\nabbreviations: { 上海: 上海 }\naliases: {}\nordinaryWords: []\n')).rejects.toMatchObject({
      code: 'HL_ERR_DATA_INVALID',
      message: expect.stringMatching(/bad\.yaml.*\/abbreviations/),
    });
    await expect(load('version: 1\nregions: []\n')).rejects.toMatchObject({ code: 'HL_ERR_DATA_INVALID' });
  });

  it('rejects an alias for a place that does not exist, naming the file and the entry', async () => {
    await expect(load('version: 2\nabbreviations: {}\naliases: { 鹏城: 深川 }\nordinaryWords: []\n')).rejects.toMatchObject({
      code: 'HL_ERR_DATA_INVALID',
      message: expect.stringMatching(/bad\.yaml.*\/aliases\/鹏城 '深川' names no place/),
    });
  });

  it('rejects an alias for a form that names several places, listing their names', async () => {
    await expect(load('version: 2\nabbreviations: {}\naliases: { 江北嘴: 江北区 }\nordinaryWords: []\n')).rejects.toMatchObject({
      message: expect.stringContaining('宁波江北区, 重庆江北区'),
    });
  });
});
