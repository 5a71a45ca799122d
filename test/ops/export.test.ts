import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readItems, score } from '../../src/eval/score.js';
import { exportSet, parseSet } from '../../src/ops/export.js';
import { projectAssistant } from '../helpers/assistant.js';
import { projectKnowledge, ROOT } from '../helpers/knowledge.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('exporting a group as a labelled set', () => {
  it('writes one one-turn item per distinct question in the eval format, numbered from the prefix', () => {
    const text = exportSet(
      [
        { text: '门诊报销比例是多少', region: '大连' },
        { text: ' 门诊报销比例是多少 ', region: '大连' },
        { text: '门诊报销比例是多少', region: null },
        { text: '普通门诊能报销多少', region: null },
        { text: '   ', region: null },
      ],
      { type: ['answer'], notice: 'dalian-2020-02-20', include: [['50%', '百分之五十']], exclude: ['不予报销'] },
      { prefix: 'ops-outpatient', tags: ['ops', 'outpatient'] },
    );
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0] as string)).toEqual({
      id: 'ops-outpatient-001',
      tags: ['ops', 'outpatient'],
      turns: [
        {
          q: '门诊报销比例是多少',
          region: '大连',
          expect: { type: ['answer'], notice: 'dalian-2020-02-20', include: [['50%', '百分之五十']], exclude: ['不予报销'] },
        },
      ],
    });
    expect(JSON.parse(lines[2] as string)).toEqual({
      id: 'ops-outpatient-003',
      tags: ['ops', 'outpatient'],
      turns: [
        {
          q: '普通门诊能报销多少',
          expect: { type: ['answer'], notice: 'dalian-2020-02-20', include: [['50%', '百分之五十']], exclude: ['不予报销'] },
        },
      ],
    });
    expect(text.endsWith('\n')).toBe(true);
  });

  it('reads back what it wrote', () => {
    const text = exportSet([{ text: '医保卡丢了怎么补办', region: null }], { type: ['answer', 'clarify'] }, { prefix: 'x' });
    expect(parseSet(text)).toEqual([
      { id: 'x-001', tags: ['ops'], turns: [{ q: '医保卡丢了怎么补办', expect: { type: ['answer', 'clarify'] } }] },
    ]);
  });

  it.each([
    [{ type: [] }, /type/],
    [{ type: ['answered'] }, /type/],
    [{ type: ['answer'], include: [[]] }, /include/],
    [{ type: ['answer'], include: [['三个月', '']] }, /include/],
    [{ type: ['answer'], exclude: [''] }, /exclude/],
    [{ type: ['answer'], notice: '' }, /notice/],
  ])('refuses an expectation a set cannot hold: %j', (expectation, message) => {
    expect(() => exportSet([{ text: '门诊报销比例', region: null }], expectation as never, { prefix: 'x' })).toThrow(message);
  });

  it('refuses a prefix that is no id, and a group with no question', () => {
    expect(() => exportSet([{ text: '门诊', region: null }], { type: ['answer'] }, { prefix: 'a b' })).toThrow(/prefix/);
    expect(() => exportSet([{ text: ' ', region: null }], { type: ['answer'] }, { prefix: 'x' })).toThrow(/no question/);
  });

  it('runs through the project’s eval: an out-of-scope group passes as fallback, a 慢病 group as an answer citing its notice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hl-ops-export-'));
    dirs.push(dir);
    const offTopic = exportSet(
      [
        { text: '红烧肉怎么做好吃', region: null },
        { text: '今天上证指数收了多少点', region: null },
      ],
      { type: ['fallback'] },
      { prefix: 'ops-off' },
    );
    const chronic = exportSet(
      [
        { text: '高血压病人现在一次能开几个月的药？', region: '包头' },
        { text: '包头糖尿病打胰岛素的患者，现在处方购药量放宽到多久？', region: null },
      ],
      { type: ['answer'], notice: 'baotou-2022-10-08', include: [['三个月', '3个月']] },
      { prefix: 'ops-chronic', tags: ['ops', 'chronic_rx'] },
    );
    const file = join(dir, 'ops.jsonl');
    await writeFile(file, offTopic + chronic);
    const items = await readItems(file);
    expect(items.map((i) => i.id)).toEqual(['ops-off-001', 'ops-off-002', 'ops-chronic-001', 'ops-chronic-002']);
    const kb = await projectKnowledge();
    const assistant = await projectAssistant();
    const s = await score(items, (text, sessionId, region) => assistant.ask(kb, { text, sessionId, ...(region ? { region } : {}) }));
    expect(s.failures).toEqual([]);
    expect(s.items).toEqual({ pass: 4, total: 4 });
    expect(s.byTag.get('chronic_rx')).toEqual({ pass: 2, total: 2 });
  });

  it('fails a group whose expectation the assistant does not meet (the set is a real test)', async () => {
    const text = exportSet([{ text: '红烧肉怎么做好吃', region: null }], { type: ['answer'] }, { prefix: 'ops-wrong' });
    const kb = await projectKnowledge();
    const assistant = await projectAssistant();
    const s = await score(parseSet(text), (q, sessionId) => assistant.ask(kb, { text: q, sessionId }));
    expect(s.items).toEqual({ pass: 0, total: 1 });
  });
});

describe('checking a labelled file', () => {
  it('names the line of a line that is not JSON', () => {
    expect(() => parseSet('{"id":"a","turns":[{"q":"x","expect":{"type":["answer"]}}]}\n\n{oops')).toThrow(/^line 3: not JSON/);
  });

  it('names the line and the place of an item out of format', () => {
    const good = '{"id":"a","turns":[{"q":"x","expect":{"type":["answer"]}}]}';
    expect(() => parseSet(`${good}\n{"id":"b","turns":[{"q":"x","expect":{"type":["maybe"]}}]}`)).toThrow(/^line 2: .*type/);
    expect(() => parseSet(`${good}\n{"id":"b","turns":[]}`)).toThrow(/^line 2: .*turns/);
    expect(() => parseSet(`${good}\n{"id":"b","turns":[{"q":"x","expected":{"type":["answer"]}}]}`)).toThrow(/^line 2: /);
    expect(() => parseSet(`${good}\n${good}`)).toThrow(/^line 2: the id 'a' is used twice/);
  });

  it.each([
    ['the project’s own set', join(ROOT, 'test', 'eval', 'questions.jsonl')],
    ['the shared dev set', join(ROOT, '..', 'shared', 'eval', 'dev.jsonl')],
  ])('accepts %s as it is', async (_, file) => {
    expect(parseSet(await readFile(file, 'utf8'))).toEqual(await readItems(file));
  });
});
