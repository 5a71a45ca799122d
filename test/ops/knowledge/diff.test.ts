import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffKnowledge, type KnowledgeDiff, type NoticeDiff } from '../../../src/ops/knowledge/diff.js';
import { afterTest } from '../../helpers/cleanup.js';
import { FIXTURES, KNOWLEDGE_DIR, knowledgeOf } from '../../helpers/knowledge.js';

const LINHU = 'linhu-2022-05-16';
const v1 = await readFile(join(FIXTURES, 'ops', `${LINHU}.txt`), 'utf8');
/** The bureau's revision: clause 一 shortened to 8 weeks, clause 三 withdrawn, a clause 五 added. */
const v2 = v1
  .replace('延长至12周', '延长至8周')
  .replace(/三、延期办理医保业务。[^\n]*\n/, '')
  .replace('政策咨询电话：0000-12345678。', '政策咨询电话：0000-12345678。\n五、各定点医疗机构应在显著位置公示本通知。');
const dalian = await readFile(join(KNOWLEDGE_DIR, 'notices', 'dalian-2020-02-20.txt'), 'utf8');

let diff: KnowledgeDiff;
let linhu: NoticeDiff;
beforeAll(async () => {
  const live = await knowledgeOf({ [LINHU]: v1, 'dalian-2020-02-20': dalian });
  const staged = await knowledgeOf({
    [LINHU]: v2,
    'dalian-2020-02-20': dalian,
    'linhu-2022-06-01': v1.replace('〔2022〕9号', '〔2022〕12号'),
  });
  afterTest(live.remove);
  afterTest(staged.remove);
  diff = diffKnowledge(live.kb, staged.kb, [LINHU, 'linhu-2022-06-01']);
  linhu = diff.notices.find((n) => n.notice === LINHU) as NoticeDiff;
});

describe('the diff of a staged knowledge base against the live one', () => {
  it('marks a changed clause with both texts and a word-level diff', () => {
    const one = linhu.clauses.find((c) => c.path === '一');
    expect(one).toMatchObject({ status: 'changed' });
    expect(one?.before).toContain('12周');
    expect(one?.after).toContain('8周');
    expect(one?.parts?.filter((p) => p.op === '-').map((p) => p.text)).toEqual(['12']);
    expect(one?.parts?.filter((p) => p.op === '+').map((p) => p.text)).toEqual(['8']);
    expect(
      one?.parts
        ?.filter((p) => p.op !== '+')
        .map((p) => p.text)
        .join(''),
    ).toBe(one?.before);
    expect(
      one?.parts
        ?.filter((p) => p.op !== '-')
        .map((p) => p.text)
        .join(''),
    ).toBe(one?.after);
  });

  it('marks a new clause and a gone one, the gone one where it stood', () => {
    expect(linhu.status).toBe('changed');
    expect(linhu.clauses.map((c) => `${c.path}:${c.status}`)).toEqual([
      'preamble:same',
      '一:changed',
      '二:same',
      '三:gone',
      '四:same',
      '五:new',
      'signature:same',
    ]);
    expect(linhu.clauses.find((c) => c.path === '三')?.before).toContain('疫情解除后3个月内');
    expect(linhu.clauses.find((c) => c.path === '五')?.after).toContain('显著位置公示');
  });

  it('lists the facts that are new and gone, by type, text and clause', () => {
    expect(linhu.facts.gone).toEqual(
      expect.arrayContaining([
        { type: 'duration', text: '12周', clause: '一' },
        { type: 'deadline', text: '疫情解除后3个月内', clause: '三' },
      ]),
    );
    expect(linhu.facts.new).toEqual(expect.arrayContaining([{ type: 'duration', text: '8周', clause: '一' }]));
    expect(linhu.facts.new.some((f) => f.text === '0000-12345678')).toBe(false);
  });

  it('shows a new notice with every clause new, and its metadata', () => {
    const added = diff.notices.find((n) => n.notice === 'linhu-2022-06-01');
    expect(added?.status).toBe('new');
    expect(added?.clauses.every((c) => c.status === 'new')).toBe(true);
    expect(added?.facts.new.length).toBeGreaterThan(5);
    expect(added?.facts.gone).toEqual([]);
  });

  it('names a metadata change of a notice, field by field', () => {
    expect(linhu.meta).toEqual([]);
    const renumbered = v1.replace('〔2022〕9号', '〔2022〕10号');
    return knowledgeOf({ [LINHU]: renumbered }).then(async (staged) => {
      afterTest(staged.remove);
      const live = await knowledgeOf({ [LINHU]: v1 });
      afterTest(live.remove);
      const d = diffKnowledge(live.kb, staged.kb, [LINHU]);
      expect(d.notices[0]?.meta).toEqual([{ field: 'docNumber', from: '临医保发〔2022〕9号', to: '临医保发〔2022〕10号' }]);
      expect(d.notices[0]?.status).toBe('changed');
    });
  });

  it('calls an untouched notice unchanged and lists a live notice the staged build lacks as gone', async () => {
    const live = await knowledgeOf({ [LINHU]: v1, 'dalian-2020-02-20': dalian });
    const staged = await knowledgeOf({ [LINHU]: v1, 'dalian-2020-02-20': '\u0000\u0001binary' });
    afterTest(live.remove);
    afterTest(staged.remove);
    const d = diffKnowledge(live.kb, staged.kb, [LINHU, 'dalian-2020-02-20']);
    expect(d.notices.map((n) => [n.notice, n.status])).toEqual([[LINHU, 'unchanged']]);
    expect(d.gone).toEqual([{ notice: 'dalian-2020-02-20', reason: expect.stringContaining('HL_ERR_NOTICE_BINARY') }]);
    expect(diff.gone).toEqual([]);
  });
});
