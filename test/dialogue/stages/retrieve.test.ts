/**
 * Stage 4, retrieve: the best sentences in each region that speaks for the asker's place, in the order of
 * the scopes; over every notice when the place is unknown; only sentences stating a required kind of fact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factMatches, retrieve, states } from '../../../src/dialogue/retrieve.js';
import type { DeadlineFact } from '../../../src/ingest/facts/index.js';
import { KUNMING, NATIONAL, type Stages, stagesOf } from './world.js';

let stages: Stages;
let remove: () => Promise<void>;
beforeAll(async () => {
  ({ stages, remove } = await stagesOf());
});
afterAll(() => remove());

describe('retrieve: where it searches', () => {
  it('searches the scopes in the order locate gives them, each only in its own region’s notices', () => {
    const t = stages.turn('西安跨省异地就医备案多久能办结？');
    expect(t.found.byScope.map((s) => s.region)).toEqual(t.location.scopes);
    expect(t.location.scopes).toEqual(['西安', '全国']);
    for (const { region, hits } of t.found.byScope) {
      expect(hits.length).toBeGreaterThan(0);
      for (const h of hits) expect(h.passage.notice.meta.region).toBe(region);
    }
    expect(t.found.all).toEqual([]);
  });

  it('searches every notice when the place is unknown', () => {
    const t = stages.turn('门诊慢性病患者每次开的药能用多久');
    expect(t.location.place).toBeNull();
    expect(t.found.byScope).toEqual([]);
    const regions = new Set(t.found.all.map((h) => h.passage.notice.meta.region));
    expect([...regions]).toEqual(expect.arrayContaining(['西安', '贵州']));
  });

  it('searches nothing for a plan with no terms', () => {
    const t = stages.turn('西安的门诊慢性病患者每次开的药能用多久');
    const empty = { ...t.plan, query: { words: [], grams: [] } };
    expect(retrieve(stages.retriever, empty, t.location)).toEqual({ byScope: [], all: [] });
  });
});

describe('retrieve: required facts', () => {
  it('keeps only sentences whose clause states a phone number when a phone number is asked for', () => {
    const t = stages.turn('临潼区医保中心的电话是多少');
    const hits = t.found.byScope.flatMap((s) => s.hits);
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(states(h, ['phone'])).toBe(true);
    // The same query without the requirement finds sentences that state none (三、…咨询电话见附件).
    const loose = retrieve(stages.retriever, { ...t.plan, requiredFacts: [] }, t.location);
    expect(loose.byScope.flatMap((s) => s.hits).some((h) => !states(h, ['phone']))).toBe(true);
  });
});

describe('retrieve: which facts answer what was asked', () => {
  const deadline = (notice: string, dated: boolean): DeadlineFact => {
    const found = stages.kb
      .facts({ notice, type: 'deadline' })
      .find((f): f is DeadlineFact => f.type === 'deadline' && (f.iso !== null) === dated);
    if (!found) throw new Error(`no ${dated ? 'dated' : 'relative'} deadline in ${notice}`);
    return found;
  };
  const when = () => stages.hear('系统改造最晚什么时候完成').factTypes;
  const howLong = () => stages.hear('零星报销的时限延长多久').factTypes;

  it('answers “when” with a deadline that is a calendar date (2022年12月31日前)', () => {
    expect(factMatches(deadline(NATIONAL, true), when())).toBe(true);
  });

  it('does not answer “when” with a deadline that is a span (疫情结束后3个月内)', () => {
    expect(factMatches(deadline(KUNMING, false), when())).toBe(false);
  });

  it('answers “how long” with a deadline that is a span, not with a calendar date', () => {
    expect(factMatches(deadline(KUNMING, false), howLong())).toBe(true);
    expect(factMatches(deadline(NATIONAL, true), howLong())).toBe(false);
  });

  it('lets a deadline of either form answer a question asking both when and how long', () => {
    const both = [...new Set([...when(), ...howLong()])];
    expect(factMatches(deadline(KUNMING, false), both)).toBe(true);
    expect(factMatches(deadline(NATIONAL, true), both)).toBe(true);
  });

  it('answers with no fact of a type not asked for', () => {
    const phone = stages.kb.facts({ type: 'phone' })[0];
    expect(phone).toBeDefined();
    if (phone) expect(factMatches(phone, howLong())).toBe(false);
  });
});
