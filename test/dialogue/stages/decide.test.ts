/**
 * Stage 5, decide: one named rule per situation, each fired here by `decide` on the inputs the earlier
 * stages make of a question written for it.
 */
import { describe, expect, it } from 'vitest';
import { confidence, decide } from '../../../src/dialogue/decide.js';
import { advance } from '../../../src/dialogue/session.js';
import { bothWorlds, GUIZHOU, LUOYANG, NATIONAL, XIAN } from './world.js';

const worlds = bothWorlds();

const OFF_TOPIC = '周末天气适合去爬山吗';

describe('decide: a person, small talk, out of scope', () => {
  it('hands over when a person is asked for (handoff.requested)', () => {
    expect(worlds.all.turn('麻烦转接人工').decision).toMatchObject({ rule: 'handoff.requested', reason: 'requested' });
  });

  it('hands over a complaint (complaint)', () => {
    expect(worlds.all.turn('上次去办事被推来推去，我要投诉').decision).toMatchObject({ rule: 'complaint', reason: 'complaint' });
  });

  it('answers a greeting and a plain thanks as small talk, however short (smalltalk)', () => {
    expect(worlds.all.turn('你好').decision).toMatchObject({ rule: 'smalltalk', intent: 'greeting' });
    expect(worlds.all.turn('谢谢！').decision).toMatchObject({ rule: 'smalltalk', intent: 'thanks' });
  });

  it('answers thanks as small talk (smalltalk)', () => {
    expect(worlds.all.turn('非常感谢').decision).toMatchObject({ rule: 'smalltalk', intent: 'thanks' });
  });

  it('says what it can do when the question is outside the domain (out_of_domain)', () => {
    expect(worlds.all.turn(OFF_TOPIC).decision).toEqual({ rule: 'out_of_domain' });
  });

  it('hands over the second question in a row it cannot help with (repeated_failure)', () => {
    const first = worlds.all.turn(OFF_TOPIC);
    const state = advance(first.state, first.heard, first.location, first.plan, first.decision);
    expect(worlds.all.turn(OFF_TOPIC, { state }).decision).toMatchObject({ rule: 'repeated_failure', reason: 'repeated_failure' });
  });

  it('hands over the second question in a row it cannot help with, through the assistant’s own session too', () => {
    const assistant = worlds.all.assistant();
    const rules = [OFF_TOPIC, '帮我查一下今天的股票行情'].map(
      (text) => assistant.explain(worlds.all.kb, { text, sessionId: 'twice' }).trace.rule,
    );
    expect(rules).toEqual(['out_of_domain', 'repeated_failure']);
  });
});

describe('decide: answers', () => {
  it('answers from the most specific region that answers, though the national notice answers too (answer)', () => {
    const t = worlds.all.turn('西安跨省异地就医备案多久能办结？');
    const d = t.decision;
    expect(d).toMatchObject({ rule: 'answer', region: '西安' });
    if (d.rule === 'answer') expect(d.hit.passage.notice.id).toBe(XIAN);
    // Without 西安's hits, the national notice answers the same question.
    const national = { ...t.found, byScope: t.found.byScope.filter((s) => s.region !== '西安') };
    const ctx = { kb: worlds.all.kb, policy: worlds.all.data.policy, asks: worlds.all.data.asks };
    expect(decide(ctx, t.heard, t.location, t.plan, national, t.state)).toMatchObject({ rule: 'answer', region: '全国' });
  });

  it('answers from the province for a city that has no notice of its own', () => {
    const d = worlds.all.turn('遵义的门诊慢性病患者每次开的药能用多久').decision;
    expect(d).toMatchObject({ rule: 'answer', region: '贵州' });
    if (d.rule === 'answer') expect(d.hit.passage.notice.id).toBe(GUIZHOU);
  });

  it('answers from the national notice when the city’s notice is silent on the question', () => {
    const t = worlds.all.turn('西安未按规定备案的报销比例降低多少');
    expect(t.location.scopes[0]).toBe('西安');
    expect(t.decision).toMatchObject({ rule: 'answer', region: '全国' });
    if (t.decision.rule === 'answer') expect(t.decision.hit.passage.notice.id).toBe(NATIONAL);
  });

  it('answers a district’s phone question from the row that names the district', () => {
    const d = worlds.all.turn('临潼区医保中心的电话是多少').decision;
    expect(d).toMatchObject({ rule: 'answer', region: '西安' });
    if (d.rule === 'answer') expect(d.hit.passage.text).toContain('临潼区');
  });

  it('gives the answer the confidence of its hit', () => {
    const d = worlds.all.turn('洛阳生育津贴多久能到账').decision;
    expect(d).toMatchObject({ rule: 'answer', region: '洛阳' });
    if (d.rule === 'answer') {
      expect(d.hit.passage.notice.id).toBe(LUOYANG);
      expect(d.confidence).toBe(confidence(d.hit));
      expect(d.confidence).toBeGreaterThanOrEqual(worlds.all.data.policy.answer.threshold);
    }
  });
});

describe('decide: a number asked for with no place and no topic', () => {
  it('asks which city rather than give one district office’s number (clarify.city)', () => {
    const d = worlds.all.turn('给个电话吧').decision;
    expect(d.rule).toBe('clarify.city');
    if (d.rule === 'clarify.city') expect(d.regions).toContain('西安');
  });
});

describe('decide: questions about a notice itself (answer.meta)', () => {
  it('picks the notice by the 文号 the question names', () => {
    const d = worlds.all.turn('医保发〔2022〕22号是哪天发的').decision;
    expect(d).toMatchObject({ rule: 'answer.meta', region: '全国', fields: ['date'] });
    if (d.rule === 'answer.meta') expect(d.notice.id).toBe(NATIONAL);
  });

  it('picks the notice by the 文号 the question names, with words run on before it', () => {
    const d = worlds.all.turn('查一下医保发〔2022〕22号是哪天发的').decision;
    expect(d.rule).toBe('answer.meta');
    if (d.rule === 'answer.meta') expect(d.notice.id).toBe(NATIONAL);
  });

  it('picks the notice by its 文号 written with other brackets', () => {
    const t = worlds.all.turn('黔医保发(2022)8号是哪天发的');
    expect(t.heard.docNumber).not.toBeNull();
    const d = t.decision;
    expect(d.rule).toBe('answer.meta');
    if (d.rule === 'answer.meta') expect(d.notice.id).toBe(GUIZHOU);
  });

  it('picks the notice by words of its title and issuing body', () => {
    const d = worlds.all.turn('跨省直接结算那份国家文件哪天发的').decision;
    expect(d.rule).toBe('answer.meta');
    if (d.rule === 'answer.meta') expect(d.notice.id).toBe(NATIONAL);
  });

  it('picks the asker’s region’s notice when the question names the place', () => {
    const d = worlds.all.turn('西安关于门诊慢性病的文件，文号怎么写').decision;
    expect(d).toMatchObject({ rule: 'answer.meta', region: '西安', fields: ['docNumber'] });
    if (d.rule === 'answer.meta') expect(d.notice.id).toBe(XIAN);
  });

  it('picks the notice last answered from for “this notice”', () => {
    const first = worlds.all.turn('洛阳生育津贴多久能到账');
    const state = advance(first.state, first.heard, first.location, first.plan, first.decision);
    const d = worlds.all.turn('这个通知是哪天发的', { state }).decision;
    expect(d.rule).toBe('answer.meta');
    if (d.rule === 'answer.meta') expect(d.notice.id).toBe(LUOYANG);
  });
});

describe('decide: asking back and handing over', () => {
  it('asks for the city when no place is known and two regions answer differently (clarify.city)', () => {
    const d = worlds.all.turn('门诊慢性病患者每次开的药能用多久').decision;
    expect(d.rule).toBe('clarify.city');
    if (d.rule === 'clarify.city') expect([...d.regions].sort()).toEqual(['西安', '贵州'].sort());
  });

  it('answers the question it asked the city for once the city is given', () => {
    const first = worlds.all.turn('门诊慢性病患者每次开的药能用多久');
    const state = advance(first.state, first.heard, first.location, first.plan, first.decision);
    expect(worlds.all.turn('西安', { state }).decision).toMatchObject({ rule: 'answer', region: '西安' });
  });

  it('hands over when no notice covers the asker’s place, not even a national one (no_notice_for_region)', () => {
    expect(worlds.withoutNational.turn('拉萨跨省异地就医备案多久能办结？').decision).toMatchObject({
      rule: 'no_notice_for_region',
      reason: 'not_covered',
      region: '拉萨',
    });
  });

  it('hands over an in-domain question no notice covers (unanswered)', () => {
    const t = worlds.all.turn('西安种植牙能报销吗');
    expect(t.plan.inDomain).toBe(true);
    expect(t.decision).toMatchObject({ rule: 'unanswered', region: '西安' });
  });

  it('hands over a question about a year no notice speaks of, naming the year (no_notice_for_year)', () => {
    const t = worlds.all.turn('2031年西安的门诊慢性病患者每次开的药能用多久');
    expect(t.decision).toMatchObject({ rule: 'no_notice_for_year', year: 2031, region: '西安' });
    // The same question without the year is answered.
    expect(worlds.all.turn('西安的门诊慢性病患者每次开的药能用多久').decision.rule).toBe('answer');
  });

  it('answers a question about a year its notice speaks of', () => {
    expect(worlds.all.turn('2022年西安的门诊慢性病患者每次开的药能用多久').decision).toMatchObject({ rule: 'answer', region: '西安' });
  });
});

describe('decide: the stages as these tests wire them', () => {
  it('decide as the assistant decides, question by question', () => {
    const assistant = worlds.all.assistant();
    const questions = [
      '临潼区医保中心的电话是多少',
      '遵义的门诊慢性病患者每次开的药能用多久',
      '门诊慢性病患者每次开的药能用多久',
      '西安种植牙能报销吗',
      '医保发〔2022〕22号是哪天发的',
      OFF_TOPIC,
    ];
    for (const [i, text] of questions.entries()) {
      const { trace } = assistant.explain(worlds.all.kb, { text, sessionId: `same-${i}` });
      expect(trace.rule, text).toBe(worlds.all.turn(text).decision.rule);
    }
  });
});
