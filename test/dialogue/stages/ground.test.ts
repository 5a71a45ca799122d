/**
 * Stage 7, ground: every figure of an answer must stand in a citation. An answer with a figure no citation
 * holds is given as its quotes alone; when that fails too, a person takes over. Other replies pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, handoffReply } from '../../../src/dialogue/compose.js';
import { ground } from '../../../src/dialogue/ground.js';
import type { Reply } from '../../../src/dialogue/reply.js';
import { ruled, type Stages, stagesOf, type Turn } from './world.js';

let stages: Stages;
let remove: () => Promise<void>;
beforeAll(async () => {
  ({ stages, remove } = await stagesOf());
});
afterAll(() => remove());

type Draft = Omit<Reply, 'sessionId'>;

/** The answer to a question, its quotes-only form and the handoff, as the assistant offers them to ground. */
function drafts(text: string): { turn: Turn; draft: Draft; quoteOnly: () => Draft; handoff: () => Draft } {
  const turn = stages.turn(text);
  const d = ruled(turn.decision, 'answer');
  const ctx = stages.composeContext;
  return {
    turn,
    draft: stages.compose(turn),
    quoteOnly: () => answer(ctx, d.region, d.hit, turn.plan, turn.location, turn.plan.intentId, d.confidence, { lead: false }),
    handoff: () => handoffReply(ctx, 'unanswered', turn.location.place, turn.plan.intentId, 0),
  };
}

describe('ground', () => {
  it('passes an answer whose every figure stands in a citation, untouched', () => {
    const { draft, quoteOnly, handoff } = drafts('西安的门诊慢性病患者每次开的药能用多久');
    const { reply, grounding } = ground(draft, quoteOnly, handoff);
    expect(reply).toBe(draft);
    expect(grounding).toEqual({ ok: true, ungrounded: [], action: 'none' });
  });

  it('gives an answer with a figure no citation holds as its quotes alone', () => {
    const { draft, quoteOnly, handoff } = drafts('西安的门诊慢性病患者每次开的药能用多久');
    const loose = { ...draft, text: draft.text.replace(/^西安：(.*)8周/, '西安：$112周') };
    expect(loose.text).toContain('12周');
    const { reply, grounding } = ground(loose, quoteOnly, handoff);
    expect(grounding).toEqual({ ok: false, ungrounded: ['12'], action: 'quote_only' });
    expect(reply).toEqual(quoteOnly());
    expect(reply.type).toBe('answer');
    expect(reply.text).not.toContain('12周');
    expect(reply.text).toContain('8周');
  });

  it('hands over when the quotes alone still hold a figure no citation holds', () => {
    const { draft, handoff } = drafts('西安的门诊慢性病患者每次开的药能用多久');
    const loose = { ...draft, text: `${draft.text}\n可拨打12345咨询。` };
    const { reply, grounding } = ground(loose, () => loose, handoff);
    expect(grounding).toEqual({ ok: false, ungrounded: ['12345'], action: 'handoff' });
    expect(reply).toEqual(handoff());
    expect(reply.type).toBe('handoff');
  });

  it('lets a reply that is not an answer pass untouched, without trying the other forms', () => {
    const turn = stages.turn('门诊慢性病患者每次开的药能用多久');
    expect(turn.decision.rule).toBe('clarify.city');
    const draft = stages.compose(turn);
    // Even a figure in it is not checked: a question back quotes nothing.
    const withFigure = { ...draft, text: `${draft.text}（共2个城市）` };
    let tried = 0;
    const never = () => {
      tried++;
      return draft;
    };
    const { reply, grounding } = ground(withFigure, never, never);
    expect(reply).toBe(withFigure);
    expect(grounding).toEqual({ ok: true, ungrounded: [], action: 'none' });
    expect(tried).toBe(0);
  });

  it('counts a figure of the cited notice’s 文号 or date as grounded', () => {
    const { draft, quoteOnly, handoff } = drafts('西安的门诊慢性病患者每次开的药能用多久');
    // The source line carries the 文号 (西医保发〔2022〕15号) and date, which no quote holds.
    expect(draft.citations.some((c) => c.quote.includes('15号'))).toBe(false);
    expect(draft.text).toContain('15号');
    expect(ground(draft, quoteOnly, handoff).grounding.action).toBe('none');
  });
});
