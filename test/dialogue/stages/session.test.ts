/**
 * Session state and its one writer, `advance`: what a turn leaves behind for the next one — the asker's
 * place and region, the topic and the notice answered from, a question waiting for the city, the count of
 * turns in a row the assistant could not help with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, choiceLabel, newSession, type SessionState } from '../../../src/dialogue/session.js';
import type { Decision } from '../../../src/dialogue/types.js';
import { type Stages, stagesOf, type Turn, XIAN } from './world.js';

let stages: Stages;
let remove: () => Promise<void>;
beforeAll(async () => {
  ({ stages, remove } = await stagesOf());
});
afterAll(() => remove());

/** One turn through the stages and what it leaves behind. */
function step(text: string, state: SessionState = newSession(), region?: string): { turn: Turn; next: SessionState } {
  const turn = stages.turn(text, { state, ...(region ? { region } : {}) });
  return { turn, next: advance(turn.state, turn.heard, turn.location, turn.plan, turn.decision) };
}
/** The state after one turn in a session whose failure count is `failures`. */
const withFailures = (text: string, failures: number) => step(text, { ...newSession(), failures });

describe('advance: where the asker is', () => {
  it('keeps the place the question names and the region whose notices cover it', () => {
    const { next } = step('临潼区医保中心的电话是多少');
    expect(next).toMatchObject({ place: '临潼', region: '西安' });
  });

  it('keeps the channel’s region as the place and the region', () => {
    const { next } = step('门诊慢性病患者每次开的药能用多久', newSession(), '西安');
    expect(next).toMatchObject({ place: '西安', region: '西安' });
  });

  it('keeps the conversation’s place when the question names none', () => {
    const { turn, next } = step('门诊慢性病患者每次开的药能用多久', { ...newSession(), place: '遵义', region: '贵州' });
    expect(turn.location.source).toBe('session');
    expect(next).toMatchObject({ place: '遵义', region: '贵州' });
  });

  it('keeps a place only national notices cover, without making 全国 the region', () => {
    const { turn, next } = step('拉萨跨省异地就医备案多久能办结？');
    expect(turn.decision).toMatchObject({ rule: 'answer', region: '全国' });
    expect(next).toMatchObject({ place: '拉萨', region: null });
  });

  it('leaves the state it was given as it was', () => {
    const state = newSession();
    const copy = structuredClone(state);
    step('临潼区医保中心的电话是多少', state);
    expect(state).toEqual(copy);
  });
});

describe('advance: the topic', () => {
  it('remembers the topic’s own words, its kinds of value and the notice answered from', () => {
    const { turn, next } = step('西安的门诊慢性病患者每次开的药能用多久');
    const own = turn.plan.query.words.filter((t) => t.cover > 0).map((t) => t.term);
    expect(next.topic).toMatchObject({
      words: own,
      intent: turn.plan.intent?.id ?? null,
      factTypes: turn.plan.factTypes,
      notice: XIAN,
    });
    expect(next.topic?.words).toContain('门诊慢性病');
    // Expansions and row-picking words are not the topic.
    expect(next.topic?.words).not.toContain('处方');
  });

  it('remembers the notice a question about a notice was answered from', () => {
    const { next } = step('医保发〔2022〕22号是哪天发的');
    expect(next.topic?.notice).toBe('guojia-2022-07-20');
  });

  it('keeps the previous topic through a question outside the domain', () => {
    const first = step('西安的门诊慢性病患者每次开的药能用多久').next;
    const { turn, next } = step('周末天气适合去爬山吗', first);
    expect(turn.decision.rule).toBe('out_of_domain');
    expect(next.topic).toEqual(first.topic);
  });
});

describe('advance: a question waiting for the city', () => {
  it('waits for the city after asking for it, and stops waiting once it answers', () => {
    const asked = step('门诊慢性病患者每次开的药能用多久');
    expect(asked.turn.decision.rule).toBe('clarify.city');
    expect(asked.next.pending).toBe(true);
    const answered = step('贵阳', asked.next);
    expect(answered.turn.decision).toMatchObject({ rule: 'answer', region: '贵州' });
    expect(answered.next).toMatchObject({ pending: false, place: '贵阳', region: '贵州' });
  });

  it('offers the items of “您是想问…？” as choices for one turn only', () => {
    const { turn } = step('西安的门诊慢性病患者每次开的药能用多久');
    const hit = turn.found.byScope[0]?.hits[0];
    expect(hit).toBeDefined();
    if (!hit) return;
    const offer: Decision = { rule: 'clarify.topic', choices: [hit], region: '西安', confidence: 0.4 };
    const offered = advance(turn.state, turn.heard, turn.location, turn.plan, offer);
    expect(offered.choices).toEqual([{ label: choiceLabel(hit.passage.clause.heading, hit.passage.text), clause: hit.passage.clause.id }]);
    expect(step('洛阳生育津贴多久能到账', offered).next.choices).toEqual([]);
  });
});

describe('advance: turns in a row it could not help with', () => {
  it('adds one for a reply that only says what it can do', () => {
    const { turn, next } = withFailures('周末天气适合去爬山吗', 0);
    expect(turn.decision.rule).toBe('out_of_domain');
    expect(next.failures).toBe(1);
  });

  it('leaves the count as it was when the second such turn is handed over', () => {
    const { turn, next } = withFailures('周末天气适合去爬山吗', 1);
    expect(turn.decision.rule).toBe('repeated_failure');
    expect(next.failures).toBe(1);
  });

  it('adds one for small talk', () => {
    expect(withFailures('非常感谢', 0).next.failures).toBe(1);
  });

  it('starts again from none after an answer', () => {
    const { turn, next } = withFailures('西安的门诊慢性病患者每次开的药能用多久', 1);
    expect(turn.decision.rule).toBe('answer');
    expect(next.failures).toBe(0);
  });

  it('starts again from none after asking back', () => {
    const { turn, next } = withFailures('门诊慢性病患者每次开的药能用多久', 1);
    expect(turn.decision.rule).toBe('clarify.city');
    expect(next.failures).toBe(0);
  });

  it('leaves the count as it was after a handoff', () => {
    for (const text of ['西安种植牙能报销吗', '麻烦转接人工']) {
      const { turn, next } = withFailures(text, 1);
      expect(turn.decision.rule).not.toBe('answer');
      expect(turn.decision.rule).not.toMatch(/^clarify|out_of_domain|smalltalk/);
      expect(next.failures).toBe(1);
    }
  });
});
