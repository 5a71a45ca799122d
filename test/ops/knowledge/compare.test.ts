import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvalItem, WireReply } from '../../../src/eval/judge.js';
import { readItems } from '../../../src/eval/score.js';
import { buildFromDir } from '../../../src/kb/load.js';
import { compareEval } from '../../../src/ops/knowledge/compare.js';
import { projectAssistant } from '../../helpers/assistant.js';
import { afterTest } from '../../helpers/cleanup.js';
import { KNOWLEDGE_DIR, projectKnowledge, ROOT } from '../../helpers/knowledge.js';

const reply = (type: string, text: string, notice = 'n-1', clause = '一'): WireReply => ({
  type,
  text,
  citations: type === 'answer' ? [{ notice, clause, title: null, authority: null, docNumber: null, date: null, quote: text, url: '' }] : [],
});

const items: EvalItem[] = [
  {
    id: 'a',
    turns: [
      { q: '慢病药能开多久', expect: { type: ['clarify'] } },
      { q: '临湖', expect: { type: ['answer'], notice: 'n-1', include: [['12周']] } },
    ],
  },
  { id: 'b', turns: [{ q: '异地备案怎么办', region: '临湖', expect: { type: ['answer'], include: [['12393']] } }] },
  { id: 'c', turns: [{ q: '今天天气怎么样', expect: { type: ['fallback'] } }] },
];

describe('comparing a labelled set on the live and the staged knowledge base', () => {
  it('counts pass rates on each side and lists each turn whose reply changed, tagged worse or better', async () => {
    const sessions: string[] = [];
    const live = (q: string, sessionId: string) => {
      sessions.push(sessionId);
      if (q === '慢病药能开多久') return reply('clarify', '请问您在哪个城市？');
      if (q === '临湖') return reply('answer', '可延长至12周。');
      if (q === '异地备案怎么办') return reply('handoff', '为您转人工。');
      return reply('fallback', '这个问题我答不了。');
    };
    const staged = (q: string, sessionId: string, region?: string) => {
      sessions.push(sessionId);
      if (q === '临湖') return reply('answer', '可延长至8周。');
      if (q === '异地备案怎么办' && region === '临湖') return reply('answer', '拨打12393办理。', 'n-1', '二');
      return live(q, sessionId);
    };
    const r = await compareEval(items, live, staged, { sessionPrefix: 't' });
    expect(r.live).toEqual({
      items: { pass: 2, total: 3 },
      turns: { pass: 3, total: 4 },
      byType: { clarify: { pass: 1, total: 1 }, answer: { pass: 1, total: 2 }, fallback: { pass: 1, total: 1 } },
    });
    expect(r.staged.items).toEqual({ pass: 2, total: 3 });
    expect(r.staged.byType.answer).toEqual({ pass: 1, total: 2 });
    expect(r.changed.map((c) => [c.item, c.turn, c.trend])).toEqual([
      ['a', 2, 'worse'],
      ['b', 1, 'better'],
    ]);
    const worse = r.changed[0];
    expect(worse?.before).toMatchObject({ type: 'answer', text: '可延长至12周。', citations: ['n-1#一'], pass: true });
    expect(worse?.after).toMatchObject({ type: 'answer', text: '可延长至8周。', pass: false });
    expect(worse?.after.why.join()).toContain('12周');
    expect(r.changed[1]).toMatchObject({
      q: '异地备案怎么办',
      region: '临湖',
      before: { type: 'handoff' },
      after: { citations: ['n-1#二'] },
    });
    // One session per item per side, turns of an item in the same one.
    expect(new Set(sessions)).toEqual(new Set(['t-live-0-a', 't-staged-0-a', 't-live-1-b', 't-staged-1-b', 't-live-2-c', 't-staged-2-c']));
  });

  it('lists nothing when every reply is the same', async () => {
    const same = (q: string) => reply('fallback', q);
    const r = await compareEval(items, same, same);
    expect(r.changed).toEqual([]);
    expect(r.live).toEqual(r.staged);
  });

  it('shows with the real assistant which replies a staged notice would change', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hl-compare-'));
    afterTest(() => rm(dir, { recursive: true, force: true }));
    await cp(KNOWLEDGE_DIR, dir, { recursive: true, filter: (src) => !src.includes(`${join(KNOWLEDGE_DIR, 'build')}`) });
    const file = join(dir, 'notices', 'baotou-2022-10-08.txt');
    // The bureau shortens the long prescription for 高血压 and 糖尿病 from three months to one.
    await writeFile(file, (await readFile(file, 'utf8')).replace('購藥量可放寬至三個月', '購藥量可放寬至一個月'));
    const [live, staged, assistant] = await Promise.all([projectKnowledge(), buildFromDir(dir), projectAssistant()]);
    const own = (await readItems(join(ROOT, 'test', 'eval', 'questions.jsonl'))).filter((i) => i.tags?.includes('baotou'));
    const ask = (kb: typeof live) => (text: string, sessionId: string, region?: string) =>
      assistant.ask(kb, { text, sessionId, ...(region ? { region } : {}) });
    const r = await compareEval(own, ask(live), ask(staged));
    const q1 = r.changed.find((c) => c.item === 'q-001');
    expect(q1?.trend).toBe('worse');
    expect(q1?.before.text).toMatch(/三[个個]月/);
    expect(q1?.after.text).toMatch(/一[个個]月/);
    expect(r.staged.items.pass).toBeLessThan(r.live.items.pass);
    expect(
      r.changed.every(
        (c) => c.before.text !== c.after.text || c.before.type !== c.after.type || c.before.citations.join() !== c.after.citations.join(),
      ),
    ).toBe(true);
  });
});
