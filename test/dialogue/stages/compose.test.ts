/**
 * Stage 6, compose: the reply for a decision. The reply copy comes from responses.yaml, so the tests fill
 * the same templates rather than repeat their wording.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../../src/dialogue/compose.js';
import { fill } from '../../../src/dialogue/data.js';
import { KUNMING, NATIONAL, type Stages, stagesOf, XIAN } from './world.js';

let stages: Stages;
let remove: () => Promise<void>;
beforeAll(async () => {
  ({ stages, remove } = await stagesOf());
});
afterAll(() => remove());

const replyTo = (text: string) => {
  const turn = stages.turn(text);
  const reply = stages.compose(turn);
  return { turn, reply, lines: reply.text.split('\n') };
};
const r = () => stages.data.responses;

describe('compose: an answer', () => {
  it('leads with the part of the sentence that states the value asked for, then quotes the sentence as 原文', () => {
    const { reply, lines } = replyTo('西安的门诊慢性病患者每次开的药能用多久');
    expect(reply.type).toBe('answer');
    const quote = reply.citations[0]?.quote ?? '';
    expect(quote).toContain('8周');
    const [lead, original] = lines;
    expect(lead).toMatch(/^西安：/);
    expect(lead).toContain('8周');
    // The lead is taken from the quote itself, and is shorter than it.
    const said = (lead ?? '').replace(/^西安：/, '').replace(/。$/, '');
    expect(quote).toContain(said);
    expect(said.length).toBeLessThan(quote.length);
    expect(original).toBe(`原文：“${quote}”`);
  });

  it('names the notice it comes from: issuing body, title, 文号, clause and date', () => {
    const { reply, lines } = replyTo('西安的门诊慢性病患者每次开的药能用多久');
    const m = stages.kb.notice(XIAN)?.meta;
    const source = lines.find((l) => l.includes(`《${m?.title}》`));
    expect(source).toContain(`（${m?.docNumber}）`);
    expect(source).toContain('第一条');
    expect(source).toContain(m?.date ?? '');
    expect(reply.citations[0]).toMatchObject({ notice: XIAN, clause: '一', docNumber: m?.docNumber });
  });

  it('quotes only the asker’s district’s row of a table: no neighbouring office’s number anywhere', () => {
    const { reply } = replyTo('临潼区医保中心的电话是多少');
    expect(reply.type).toBe('answer');
    expect(reply.text).toContain('029-83811111');
    const everything = [reply.text, ...reply.citations.map((c) => c.quote)].join('\n');
    for (const other of ['029-85202222', '029-86203333', '雁塔', '未央']) expect(everything).not.toContain(other);
  });

  it('says a province’s answer is the province’s, for a city in it', () => {
    const { reply, lines } = replyTo('遵义的门诊慢性病患者每次开的药能用多久');
    expect(reply.region).toBe('贵州');
    expect(lines[0]).toBe(fill(r().scope_province, { place: '遵义', region: '贵州' }));
  });

  it('says a national answer is national, for a place with no notice of its own', () => {
    const { reply, lines } = replyTo('拉萨跨省异地就医备案多久能办结？');
    expect(reply.citations[0]?.notice).toBe(NATIONAL);
    expect(lines[0]).toBe(fill(r().scope_national_for, { place: '拉萨' }));
  });

  it('says a national answer is national because the city’s own notice is silent on it', () => {
    const { lines } = replyTo('西安未按规定备案的报销比例降低多少');
    expect(lines[0]).toBe(fill(r().scope_national_silent, { place: '西安' }));
    expect(lines[1]).toMatch(/^国家医疗保障局、财政部：/);
  });

  it('adds no scope line when the answer is the asker’s own region’s', () => {
    const { lines } = replyTo('西安的门诊慢性病患者每次开的药能用多久');
    expect(lines[0]).toMatch(/^西安：/);
  });
});

describe('compose: the reminder after an answer', () => {
  it('reminds that a temporary measure (阶段性) may no longer hold', () => {
    const { lines } = replyTo('遵义的门诊慢性病患者每次开的药能用多久');
    expect(lines.at(-1)).toBe(`${fill(r().reminder_temporary, { date: '2022-03-10' })}。`);
    expect(lines.at(-1)).toContain('临时性措施');
  });

  it('reminds that a standing rule holds until a new one replaces it', () => {
    const { lines } = replyTo('西安的门诊慢性病患者每次开的药能用多久');
    expect(lines.at(-1)).toBe(`${fill(r().reminder_standing, { date: '2022-06-01' })}。`);
  });

  it('says first that an expired measure ended on the date its notice gives, cites the sentence that gives it, and ends with the source (issue 16)', () => {
    const { reply, lines } = replyTo('昆明零星报销的时限延长到什么时候');
    expect(reply.citations[0]?.notice).toBe(KUNMING);
    // No hotline in 昆明's notice: the caller is sent to the local bureau.
    expect(lines[0]).toBe(`${fill(r().expired_lead, { date: '2020-02-05', expires: '2020年6月30日' })}${r().expired_instead}`);
    expect(lines[1]).toMatch(/^昆明：/);
    expect(lines.at(-1)).toMatch(/^来源：/);
    expect(reply.citations).toContainEqual(
      expect.objectContaining({ notice: KUNMING, clause: '三', quote: '三、本通知有效期至2020年6月30日。' }),
    );
  });

  it('calls the same measure temporary, with no end date, on a day before it ended', () => {
    const t = stages.turn('昆明零星报销的时限延长到什么时候');
    const before = compose({ ...stages.composeContext, today: () => '2020-05-01' }, t.decision, t.plan, t.location, t.plan.intentId);
    expect(before.text.split('\n').at(-1)).toBe(`${fill(r().reminder_temporary, { date: '2020-02-05' })}。`);
    expect(before.citations.map((c) => c.clause)).not.toContain('三');
  });
});

describe('compose: a question about a notice itself', () => {
  const ask = '西安关于门诊慢性病的文件是哪个部门发的，文号怎么写，哪天发的，几号开始执行';

  it('gives the issuing body, 文号, date and the day it takes effect from the notice’s metadata', () => {
    const { turn, reply } = replyTo(ask);
    expect(turn.decision.rule).toBe('answer.meta');
    const m = stages.kb.notice(XIAN)?.meta;
    expect(m?.authority && m.docNumber && m.dateText && m.effectiveText).toBeTruthy();
    expect(reply.text).toContain(fill(r().meta.authority, { value: m?.authority ?? '' }));
    expect(reply.text).toContain(fill(r().meta.docNumber, { value: m?.docNumber ?? '' }));
    expect(reply.text).toContain(fill(r().meta.date, { value: m?.dateText ?? '' }));
    // The sentence without its item marker and closing stop, as a line of its own (五、本通知…施行。 → 执行时间：本通知…施行。).
    const sentence = (m?.effectiveText ?? '').replace(/^[一二三四五六七八九十]+、/, '').replace(/。$/, '');
    expect(reply.text).toContain(`${fill(r().meta.effective, { value: sentence })}。`);
    expect(reply.text).not.toContain('。。');
  });

  it('cites the sentence that gives the day it takes effect', () => {
    const { reply } = replyTo(ask);
    const m = stages.kb.notice(XIAN)?.meta;
    expect(reply.citations).toContainEqual(expect.objectContaining({ notice: XIAN, quote: m?.effectiveText }));
  });

  it('says a notice has no 文号 when it has none', () => {
    const { turn, reply } = replyTo('昆明疫情期间经办服务的那份文件，文号怎么写');
    expect(turn.decision).toMatchObject({ rule: 'answer.meta', notice: { id: KUNMING } });
    expect(reply.text).toContain(r().meta.docNumber_none);
  });
});

describe('compose: replies that are not answers', () => {
  it('asks for the city naming the regions that have notices on it', () => {
    const { reply } = replyTo('门诊慢性病患者每次开的药能用多久');
    expect(reply.type).toBe('clarify');
    expect([...reply.suggestions].sort()).toEqual(['西安', '贵州'].sort());
    expect(reply.citations).toEqual([]);
  });

  it('hands over with the reason’s text and no citation when no notice says it', () => {
    const { reply } = replyTo('西安种植牙能报销吗');
    expect(reply).toMatchObject({ type: 'handoff', handoff: { reason: 'unanswered' }, text: r().handoff.unanswered, citations: [] });
  });

  it('says which year no notice speaks of before handing over', () => {
    const { reply } = replyTo('2031年西安的门诊慢性病患者每次开的药能用多久');
    expect(reply.type).toBe('handoff');
    expect(reply.text.startsWith(fill(r().no_notice_for_year, { year: '2031' }))).toBe(true);
  });
});
