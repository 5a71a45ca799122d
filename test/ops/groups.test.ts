import { beforeAll, describe, expect, it } from 'vitest';
import { BuildCache } from '../../src/cache.js';
import { loadConfig } from '../../src/config.js';
import type { Gazetteer } from '../../src/geo/gazetteer.js';
import { slimDictionaries } from '../../src/nlu/dictionary.js';
import { Nlu } from '../../src/nlu/index.js';
import { loadLanguageData } from '../../src/nlu/load.js';
import { dayRange, shanghaiDay } from '../../src/ops/day.js';
import { groupMisses, MAX_GROUPED, NO_INTENT, NO_REGION, questionTerms } from '../../src/ops/groups.js';
import type { Candidate, Miss } from '../../src/ops/types.js';
import { projectGazetteer } from '../helpers/knowledge.js';

const DAY = 86_400_000;
/** 2026-03-10 12:00 in Shanghai. */
const NOW = Date.UTC(2026, 2, 10, 4);
const DAYS = dayRange(NOW, 7);

let terms: (text: string) => string[];
let gazetteer: Gazetteer;

beforeAll(async () => {
  // The NLU as the app builds it (src/app.ts assistantFactory).
  const config = loadConfig({});
  const cache = new BuildCache(`${config.dataDir}/cache`);
  const dictionaries = await slimDictionaries(cache.dir, config.jiebaMinFrequency);
  const nlu = await Nlu.load(await loadLanguageData(config.intentsDir), dictionaries, cache);
  gazetteer = await projectGazetteer();
  terms = questionTerms(nlu, (w) => gazetteer.isPlaceWord(w));
});

let nextId = 1;
function miss(text: string, at: number, more: Partial<Miss> = {}): Miss {
  return {
    id: nextId++,
    kind: 'handoff',
    sessionId: `s-${nextId}`,
    channel: 'web',
    text,
    reply: '这个问题我暂时回答不了，已为您转人工。',
    replyType: 'handoff',
    region: null,
    intent: null,
    rule: 'unanswered',
    confidence: null,
    candidates: [],
    detail: null,
    comment: null,
    at,
    ...more,
  };
}

const options = (by: 'question' | 'region' | 'intent' = 'question') => ({
  by,
  terms,
  days: DAYS,
  title: (notice: string) => (notice === 'beijing-2023-01' ? '关于异地就医直接结算的通知' : null),
  dayOf: shanghaiDay,
});

const REMOTE = [
  '异地就医备案怎么办理',
  '去外地看病要先备案吗',
  '异地就医备案需要什么材料',
  '在北京住院要办异地备案吗',
  '異地就醫備案在哪裡辦',
];
const OUTPATIENT = ['门诊报销比例是多少', '普通门诊能报销多少', '门诊看病报销比例多少', '大连门诊报销比例', '门诊费用报销百分之几'];

describe('grouping misses by similar question', () => {
  it('puts phrasings of 异地就医备案 in one group and of 门诊报销比例 in another, mixed as they came', () => {
    const texts = REMOTE.flatMap((r, i) => [r, OUTPATIENT[i] as string]);
    const misses = texts.map((t, i) => miss(t, NOW - i * 60_000));
    const groups = groupMisses(misses, options());
    expect(groups.map((g) => g.samples.map((s) => s.text).sort())).toEqual(
      expect.arrayContaining([[...REMOTE].sort(), [...OUTPATIENT].sort()]),
    );
    expect(groups).toHaveLength(2);
    const remote = groups.find((g) => g.label.includes('异地就医'));
    expect(remote?.terms).toContain('备案');
    expect(remote?.key.startsWith('q:')).toBe(true);
    expect(groups.find((g) => g.label.includes('门诊'))?.terms).toContain('报销');
  });

  it('leaves place names out of the terms: the desk groups places by region', () => {
    expect(terms('大连门诊报销比例')).not.toContain('大连');
    expect(terms('在北京住院要办异地备案吗')).not.toContain('北京');
  });

  it('keeps a question of another topic apart', () => {
    const misses = [...REMOTE, '生育津贴怎么领取'].map((t, i) => miss(t, NOW - i * 1000));
    const groups = groupMisses(misses, options());
    expect(groups.map((g) => g.count)).toEqual([5, 1]);
    expect(groups[1]?.samples[0]?.text).toBe('生育津贴怎么领取');
  });

  it('always puts the same question, however punctuated, spaced or wide, in one group', () => {
    const misses = ['门诊报销比例是多少？', '门诊报销比例 是多少', '门诊报销比例是多少', '医保卡丢了怎么补办', 'ＡＢＣ？', 'abc'].map(
      (t, i) => miss(t, NOW - i * 1000),
    );
    const groups = groupMisses(misses, options());
    const sizes = groups.map((g) => g.count);
    expect(sizes[0]).toBe(3);
    expect(groups.find((g) => g.samples.some((s) => s.text === 'abc'))?.count).toBe(2);
  });

  it('gives every group a distinct key, the largest group first', () => {
    const misses = [...OUTPATIENT, ...OUTPATIENT, ...REMOTE].map((t, i) => miss(t, NOW - i * 1000));
    const groups = groupMisses(misses, options());
    expect(groups.map((g) => g.count)).toEqual([10, 5]);
    expect(new Set(groups.map((g) => g.key)).size).toBe(groups.length);
  });
});

describe('a group’s figures', () => {
  it('counts misses per day over the range asked for, oldest first, and not those outside it', () => {
    const misses = [
      miss('门诊报销比例是多少', NOW),
      miss('门诊报销比例是多少', NOW - 1000),
      miss('门诊报销比例是多少', NOW - 2 * DAY),
      miss('门诊报销比例是多少', NOW - 30 * DAY),
    ];
    const [g] = groupMisses(misses, options());
    expect(g?.count).toBe(4);
    expect(g?.perDay).toEqual([0, 0, 0, 0, 1, 0, 2]);
  });

  it('counts the day in Shanghai: 23:30 UTC is the next morning there', () => {
    const lateUtc = Date.UTC(2026, 2, 8, 23, 30);
    const [g] = groupMisses([miss('门诊报销比例是多少', lateUtc)], options());
    expect(g?.perDay[DAYS.indexOf('2026-03-09')]).toBe(1);
  });

  it('shows up to five samples, newest first, one per distinct question before repeating one', () => {
    const misses = [
      miss('门诊报销比例是多少', NOW - 1000),
      miss('门诊报销比例是多少', NOW),
      miss('门诊报销比例多少', NOW - 2000),
      miss('普通门诊报销比例', NOW - 5000),
      miss('门诊能报销百分之几', NOW - 9000),
      miss('门诊报销比例是多少呀', NOW - 3000),
      miss('门诊报销比例是多少', NOW - 4000),
      miss('门诊报销比例是多少', NOW - 6000),
    ];
    const [g] = groupMisses(misses, options());
    expect(g?.count).toBe(8);
    expect(g?.samples.map((s) => s.at)).toEqual([NOW, NOW - 2000, NOW - 3000, NOW - 5000, NOW - 9000]);
    expect(g?.samples[0]?.reply).toContain('转人工');
    expect(g?.ids[0]).toBe(misses[1]?.id);
  });

  it('counts kinds, regions and intents, and names a missing region or intent', () => {
    const misses = [
      miss('门诊报销比例是多少', NOW, { region: '大连', intent: 'outpatient' }),
      miss('门诊报销比例多少', NOW - 1, { kind: 'down_vote', region: '大连' }),
      miss('门诊能报销多少', NOW - 2, { kind: 'fallback', intent: 'outpatient' }),
    ];
    const [g] = groupMisses(misses, options());
    expect(g?.kinds).toEqual({ handoff: 1, down_vote: 1, fallback: 1 });
    expect(g?.regions).toEqual({ 大连: 2, [NO_REGION]: 1 });
    expect(g?.intents).toEqual({ outpatient: 2, [NO_INTENT]: 1 });
  });

  it('lists the clauses found most often across the group, ties by best score, with their titles', () => {
    const c = (notice: string, clause: string, score: number): Candidate => ({ notice, clause, score, confidence: 0.3 });
    const misses = [
      miss('异地就医备案怎么办理', NOW, { candidates: [c('beijing-2023-01', 'c3', 0.4), c('dalian-2022-05', 'c1', 0.9)] }),
      miss('异地就医备案需要什么材料', NOW - 1, { candidates: [c('beijing-2023-01', 'c3', 0.6), c('yunnan-2021-02', 'c7', 0.5)] }),
      miss('异地就医备案怎么弄', NOW - 2, { candidates: [c('dalian-2022-05', 'c1', 0.2), c('shangluo-2020-01', 'c2', 0.95)] }),
      miss('异地备案怎么办', NOW - 3, { candidates: [c('beijing-2023-01', 'c3', 0.1), c('beijing-2023-01', 'c3', 0.1)] }),
    ];
    const [g] = groupMisses(misses, options());
    expect(g?.count).toBe(4);
    expect(g?.clauses).toEqual([
      { notice: 'beijing-2023-01', clause: 'c3', title: '关于异地就医直接结算的通知', n: 3, best: 0.6 },
      { notice: 'dalian-2022-05', clause: 'c1', title: null, n: 2, best: 0.9 },
      { notice: 'shangluo-2020-01', clause: 'c2', title: null, n: 1, best: 0.95 },
    ]);
  });

  it('groups at most the newest MAX_GROUPED misses', () => {
    const cheap = { ...options(), terms: (t: string) => [t.slice(0, 2)] };
    const misses = Array.from({ length: MAX_GROUPED + 2 }, (_, i) => miss('门诊报销', NOW - i));
    const [g] = groupMisses(misses, cheap);
    expect(g?.count).toBe(MAX_GROUPED);
    expect(g?.ids).not.toContain(misses.at(-1)?.id);
  });
});

describe('grouping misses by region and by intent', () => {
  const misses = () => [
    miss('门诊报销比例是多少', NOW, { region: '大连', intent: 'outpatient' }),
    miss('异地就医备案怎么办理', NOW - 1, { region: '大连', intent: 'remote' }),
    miss('生育津贴怎么领', NOW - 2, { region: null, intent: null }),
    miss('慢病药能开多久', NOW - 3, { region: '包头', intent: 'remote' }),
    miss('异地就医备案材料', NOW - 4, { region: '包头', intent: 'remote' }),
    miss('包头门诊报销', NOW - 5, { region: '包头', intent: null }),
  ];

  it('makes one group per region, the unknown one named, largest first', () => {
    const groups = groupMisses(misses(), options('region'));
    expect(groups.map((g) => [g.key, g.label, g.count])).toEqual([
      ['r:包头', '包头', 3],
      ['r:大连', '大连', 2],
      [`r:${NO_REGION}`, NO_REGION, 1],
    ]);
  });

  it('makes one group per intent, the missing one named', () => {
    const groups = groupMisses(misses(), options('intent'));
    expect(groups.map((g) => [g.key, g.count])).toEqual([
      ['i:remote', 3],
      [`i:${NO_INTENT}`, 2],
      ['i:outpatient', 1],
    ]);
  });
});
