/**
 * Stage 3, query (`plan`): the retrieval query. Each term carries a weight (how much it counts in the score)
 * and a cover (how much it counts in coverage, the share of the question a sentence holds): the domain's
 * words fully, the asker's situation less, what only picks a row or expands the intent not at all.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance } from '../../../src/dialogue/session.js';
import type { Plan } from '../../../src/dialogue/types.js';
import type { QueryTerm } from '../../../src/kb/retrieval.js';
import { charGrams } from '../../../src/kb/retrieval.js';
import { type Stages, stagesOf } from './world.js';

let stages: Stages;
let remove: () => Promise<void>;
beforeAll(async () => {
  ({ stages, remove } = await stagesOf());
});
afterAll(() => remove());

const word = (p: Plan, term: string): QueryTerm | undefined => p.query.words.find((t) => t.term === term);
const gram = (p: Plan, term: string): QueryTerm | undefined => p.query.grams.find((t) => t.term === term);
const planOf = (text: string) => stages.turn(text).plan;

describe('plan: how much each word counts in coverage', () => {
  it('counts a word of the domain fully', () => {
    const p = planOf('我在老家工作，门诊慢性病患者每次开的药能用多久');
    expect(stages.nlu.isDomainWord('门诊慢性病')).toBe(true);
    expect(word(p, '门诊慢性病')?.cover).toBe(1);
  });

  it('counts a word that only tells the asker’s situation (known to the notices, not the domain’s) at the situational share', () => {
    const p = planOf('我在老家工作，门诊慢性病患者每次开的药能用多久');
    expect(stages.nlu.isDomainWord('工作')).toBe(false);
    expect(stages.retriever.knows('工作')).toBe(true);
    expect(word(p, '工作')?.cover).toBe(stages.data.policy.coverage.situational);
  });

  it('does not count a word outside the domain that no notice uses', () => {
    const p = planOf('我在老家工作，门诊慢性病患者每次开的药能用多久');
    expect(stages.retriever.knows('老家')).toBe(false);
    expect(word(p, '老家')?.cover).toBe(0);
  });

  it('adds the intent’s keywords lightly, without counting them in coverage', () => {
    const heard = stages.hear('西安的门诊慢性病患者每次开的药能用多久');
    const p = planOf('西安的门诊慢性病患者每次开的药能用多久');
    const keywords = (p.intent?.keywords ?? [])
      .flatMap((k) => stages.nlu.keywordWords(k))
      .filter((w) => !heard.u.searchWords.includes(w) && !heard.u.domainWords.includes(w));
    const added = p.query.words.filter((t) => keywords.includes(t.term));
    expect(added.length).toBeGreaterThan(0);
    for (const t of added) {
      expect(t.cover).toBe(0);
      expect(t.weight).toBeLessThan(1);
    }
  });

  it('adds the district the asker names below the covering region to pick its row, weighed up but not counted in coverage', () => {
    const p = planOf('临潼区医保中心的电话是多少');
    for (const term of ['临潼', '临潼区']) expect(word(p, term)).toMatchObject({ cover: 0 });
    expect(word(p, '临潼')?.weight).toBeGreaterThan(1);
    expect(gram(p, '潼区')?.cover).toBe(0);
  });

  it('does not count a word that only asks for a phone number when the question has a topic besides', () => {
    const p = planOf('临潼区医保中心的电话是多少');
    expect(word(p, '医保中心')?.cover).toBe(1);
    expect(word(p, '电话')?.cover).toBe(0);
    expect(gram(p, '电话')?.cover).toBe(0);
  });

  it('counts the word for a phone number when the question says nothing else', () => {
    expect(word(planOf('给个电话吧'), '电话')?.cover).toBe(1);
  });

  it('takes a question naming only a value with words every notice uses as topicless', () => {
    expect(planOf('医保中心的电话是多少').topicless).toBe(true);
    expect(planOf('西安的门诊慢性病患者每次开的药能用多久').topicless).toBe(false);
  });
});

describe('plan: whether the question is in the domain', () => {
  it('is in the domain when it holds a word of the domain', () => {
    expect(planOf('洛阳生育津贴多久能到账').inDomain).toBe(true);
  });

  it('is out of the domain when no word of it is the domain’s', () => {
    expect(planOf('周末去哪里钓鱼比较好').inDomain).toBe(false);
  });

  it('is in the domain when it asks about a notice itself', () => {
    expect(planOf('这份文件是哪天发的').inDomain).toBe(true);
  });
});

describe('plan: follow-ups', () => {
  const first = () => {
    const t = stages.turn('西安的门诊慢性病患者每次开的药能用多久');
    return advance(t.state, t.heard, t.location, t.plan, t.decision);
  };

  it('carries the topic’s words into a follow-up that names only a place, counting them fully', () => {
    const state = first();
    const t = stages.turn('那遵义呢？', { state });
    expect(t.plan.followUp).toBe(true);
    expect(state.topic?.words.length).toBeGreaterThan(0);
    for (const w of state.topic?.words ?? []) expect(word(t.plan, w)?.cover).toBe(1);
    for (const w of state.topic?.words ?? []) for (const g of charGrams(w)) if (g.length === 2) expect(gram(t.plan, g)?.cover).toBe(1);
    expect(t.plan.factTypes).toEqual(state.topic?.factTypes);
  });

  it('carries nothing into a question with a topic of its own', () => {
    const state = first();
    const t = stages.turn('洛阳生育津贴多久能到账', { state });
    expect(t.plan.followUp).toBe(false);
    expect(word(t.plan, '门诊慢性病')).toBeUndefined();
  });

  it('counts a follow-up’s own words more than the topic’s', () => {
    const state = first();
    const t = stages.turn('那要是在贵阳开药呢', { state });
    expect(t.plan.followUp).toBe(true);
    const own = t.plan.query.words.find((w) => w.term === '开药' || w.term === '开');
    expect(own?.weight).toBeGreaterThan(word(t.plan, '门诊慢性病')?.weight ?? Number.POSITIVE_INFINITY);
  });
});
