/**
 * Issue 16, expiry: an answer drawn from a temporary measure that has ended says so first — published on its
 * date, ended on the date the notice states (cited) — and whom to call for the rule in force now (the
 * region's hotline, cited), before the quote. Asked before the end, the answer keeps its usual shape. An end
 * set only by a sidecar is said without its date: no quote holds it.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Assistant } from '../../src/dialogue/assistant.js';
import { fill } from '../../src/dialogue/data.js';
import { type Reply, ungroundedNumbers } from '../../src/dialogue/reply.js';
import { MemorySessionStore } from '../../src/dialogue/session.js';
import type { KnowledgeBase } from '../../src/kb/knowledge-base.js';
import { buildFromDir } from '../../src/kb/load.js';
import { FIXTURES, KNOWLEDGE_DIR } from '../helpers/knowledge.js';
import { projectLanguage } from './stages/world.js';

/** 有效期至2022年12月31日 in its text; a 全市医保服务热线 in its third item. */
const YICHANG = 'yichang-2022-04-20';
/** 疫情防控期间, no end in its text; its sidecar sets expires 2022-11-30, a day its text names only as a 补缴 deadline. */
const JINGZHOU = 'jingzhou-2022-05-10';
/** 执行期限为…至2022年12月25日; no hotline in its region's notices. */
const XIANGYANG = 'xiangyang-2022-06-15';
/** A national notice, 执行至2020年12月31日. */
const NATIONAL = 'guojia-2020-03-10';

let dir: string;
let kb: KnowledgeBase;
let language: Awaited<ReturnType<typeof projectLanguage>>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hl-expiry-'));
  await cp(KNOWLEDGE_DIR, dir, { recursive: true });
  await cp(join(FIXTURES, 'expiry'), join(dir, 'notices'), { recursive: true });
  kb = await buildFromDir(dir);
  language = await projectLanguage();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An assistant whose today is `day`, and its reply to a first question, with the grounding check's verdict. */
function askOn(day: string, text: string): { reply: Reply; grounded: boolean } {
  let n = 0;
  const assistant = new Assistant(
    language.nlu,
    language.data,
    new MemorySessionStore({ max: 100, ttlMs: 60_000 }),
    () => `expiry-${++n}`,
    { max: 0, ttlMs: 0 },
    () => new Date(`${day}T08:00:00Z`),
  );
  const { reply, trace } = assistant.explain(kb, { text });
  return { reply, grounded: trace.grounding.ok };
}
const r = () => language.data.responses;
const lines = (reply: Reply) => reply.text.split('\n');

describe('an answer from a measure whose end date its notice states', () => {
  const question = '宜昌门诊慢性病一次能开多少药？';

  it('says first, asked after that date, that the measure was published on its date and ended on the date the notice gives', () => {
    const { reply } = askOn('2023-03-01', question);
    expect(reply.type).toBe('answer');
    expect(reply.citations[0]?.notice).toBe(YICHANG);
    const head = fill(r().expired_lead, { date: '2022-04-20', expires: '2022年12月31日' });
    expect(lines(reply)[0]).toBe(
      `${head}${fill(r().expired_instead_hotline, { region: '宜昌', purpose: '医保热线', number: '0717-1234567' })}`,
    );
  });

  it('then gives the answer and its quote, cited, with the source last and no reminder repeating the end', () => {
    const { reply } = askOn('2023-03-01', question);
    const [, lead, original, source, ...rest] = lines(reply);
    expect(lead).toMatch(/^宜昌：.*12周/);
    expect(original).toMatch(/^原文：“.*12周.*”$/);
    expect(source).toMatch(/^来源：.*《宜昌市医疗保障局关于阶段性调整门诊慢性病用药和经办服务的通知》/);
    expect(rest).toEqual([]);
    expect(reply.text.match(/临时性措施/g)).toHaveLength(1);
  });

  it('cites the sentence that states the end, and the hotline’s sentence', () => {
    const { reply } = askOn('2023-03-01', question);
    expect(reply.citations).toContainEqual(
      expect.objectContaining({ notice: YICHANG, clause: '四', quote: '四、本通知自印发之日起执行，有效期至2022年12月31日。' }),
    );
    expect(reply.citations).toContainEqual(
      expect.objectContaining({ notice: YICHANG, clause: '三', quote: expect.stringContaining('0717-1234567') }),
    );
  });

  it('is grounded: every run of digits stands in a citation, and the grounding check passes the answer as composed', () => {
    const { reply, grounded } = askOn('2023-03-01', question);
    expect(ungroundedNumbers(reply.text, reply.citations)).toEqual([]);
    expect(grounded).toBe(true);
  });

  it('keeps its usual shape asked before that date: the answer first, the temporary reminder with the hotline last', () => {
    const { reply, grounded } = askOn('2022-06-01', question);
    expect(reply.type).toBe('answer');
    expect(lines(reply)[0]).toMatch(/^宜昌：.*12周/);
    const reminder = `${fill(r().reminder_temporary, { date: '2022-04-20' })}${fill(r().reminder_hotline, { purpose: '医保热线', number: '0717-1234567' })}。`;
    expect(lines(reply).at(-1)).toBe(reminder);
    expect(reply.text).not.toContain('到期');
    expect(reply.citations.map((c) => c.clause)).not.toContain('四');
    expect(grounded).toBe(true);
  });

  it('still holds on its last day: a measure ends after the date it runs to', () => {
    const { reply } = askOn('2022-12-31', question);
    expect(lines(reply)[0]).toMatch(/^宜昌：/);
  });

  it('asks the caller to turn to the local bureau when the region’s notices give no hotline', () => {
    const { reply, grounded } = askOn('2023-03-01', '襄阳异地就医备案几个工作日能审核完？');
    expect(reply.citations[0]?.notice).toBe(XIANGYANG);
    expect(lines(reply)[0]).toBe(`${fill(r().expired_lead, { date: '2022-06-15', expires: '2022年12月25日' })}${r().expired_instead}`);
    expect(grounded).toBe(true);
  });
});

describe('an answer from a national measure that has ended', () => {
  it('gives the asker’s own region’s hotline for the rule in force now, first, before the national scope line', () => {
    const { reply, grounded } = askOn('2023-03-01', '宜昌参保人员跨省临时外出就医没有事先办理备案怎么办？');
    expect(reply.citations[0]?.notice).toBe(NATIONAL);
    const head = fill(r().expired_lead, { date: '2020-03-10', expires: '2020年12月31日' });
    expect(lines(reply)[0]).toBe(
      `${head}${fill(r().expired_instead_hotline, { region: '宜昌', purpose: '医保热线', number: '0717-1234567' })}`,
    );
    expect(lines(reply)[1]).toBe(fill(r().scope_national_silent, { place: '宜昌' }));
    expect(reply.citations).toContainEqual(expect.objectContaining({ notice: NATIONAL, quote: '三、本通知执行至2020年12月31日。' }));
    expect(reply.citations).toContainEqual(expect.objectContaining({ notice: YICHANG, clause: '三' }));
    expect(grounded).toBe(true);
  });
});

describe('an answer from a measure whose end a sidecar sets', () => {
  const question = '荆州单位缓缴医保费最长多久？';

  it('says first that it has ended by the hotline’s record, without a date no quote holds, and gives the hotline', () => {
    const { reply, grounded } = askOn('2023-03-01', question);
    expect(reply.type).toBe('answer');
    expect(reply.citations[0]?.notice).toBe(JINGZHOU);
    const head = fill(r().expired_lead_recorded, { date: '2022-05-10' });
    expect(lines(reply)[0]).toBe(
      `${head}${fill(r().expired_instead_hotline, { region: '荆州', purpose: '医保热线', number: '0716-7654321' })}`,
    );
    expect(lines(reply)[1]).toMatch(/^荆州：.*3个月/);
    expect(ungroundedNumbers(reply.text, reply.citations)).toEqual([]);
    expect(grounded).toBe(true);
  });

  it('does not pass off a sentence that names the same day for another purpose (补缴 by then) as the end', () => {
    const { reply } = askOn('2023-03-01', question);
    expect(reply.text).not.toContain('11月30日');
    expect(reply.citations.map((c) => c.clause)).not.toContain('二');
  });

  it('keeps its usual shape before the recorded end', () => {
    const { reply } = askOn('2022-11-30', question);
    expect(lines(reply)[0]).toMatch(/^荆州：/);
    expect(lines(reply).at(-1)).toContain(fill(r().reminder_temporary, { date: '2022-05-10' }));
  });
});
