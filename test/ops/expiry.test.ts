/**
 * Issue 16, the desk's expiry list: temporary notices that have ended (the most recently ended first), those
 * ending soon (the soonest first), and those with no end date, which an operator needs to give one.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../../src/kb/knowledge-base.js';
import { buildFromDir } from '../../src/kb/load.js';
import { noticeExpiries } from '../../src/ops/expiry.js';
import { FIXTURES, KNOWLEDGE_DIR } from '../helpers/knowledge.js';

let dir: string;
let kb: KnowledgeBase;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hl-ops-expiry-'));
  await cp(KNOWLEDGE_DIR, dir, { recursive: true });
  // 宜昌 有效期至2022年12月31日, 襄阳 执行期限…至2022年12月25日, 国家 执行至2020年12月31日 (in the text),
  // 荆州 2022-11-30 (its sidecar).
  await cp(join(FIXTURES, 'expiry'), join(dir, 'notices'), { recursive: true });
  kb = await buildFromDir(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ids = (list: readonly { notice: string }[]) => list.map((e) => e.notice);

describe('noticeExpiries', () => {
  it('lists the ended ones and those ending within the days given, each with its dates, source and days left', () => {
    const { expired, soon } = noticeExpiries(kb, '2022-12-20', 30);
    expect(expired).toEqual([
      {
        notice: 'jingzhou-2022-05-10',
        title: '荆州市医疗保障局关于疫情防控期间暂缓征收职工医保费的通知',
        region: '荆州',
        date: '2022-05-10',
        expires: '2022-11-30',
        source: 'sidecar',
        daysLeft: -20,
      },
      expect.objectContaining({ notice: 'guojia-2020-03-10', region: '全国', expires: '2020-12-31', source: 'text', daysLeft: -719 }),
    ]);
    expect(soon).toEqual([
      expect.objectContaining({ notice: 'xiangyang-2022-06-15', region: '襄阳', expires: '2022-12-25', source: 'text', daysLeft: 5 }),
      expect.objectContaining({ notice: 'yichang-2022-04-20', region: '宜昌', expires: '2022-12-31', source: 'text', daysLeft: 11 }),
    ]);
  });

  it('orders the ended ones by their end, the most recently ended first', () => {
    const { expired, soon } = noticeExpiries(kb, '2023-01-10', 30);
    expect(ids(expired)).toEqual(['yichang-2022-04-20', 'xiangyang-2022-06-15', 'jingzhou-2022-05-10', 'guojia-2020-03-10']);
    expect(expired.map((e) => e.daysLeft)).toEqual([-10, -16, -41, -740]);
    expect(soon).toEqual([]);
  });

  it('counts a measure on its last day as ending soon (0 days left), not ended, and leaves out those ending later than asked', () => {
    const { expired, soon } = noticeExpiries(kb, '2022-12-25', 5);
    expect(ids(expired)).toEqual(['jingzhou-2022-05-10', 'guojia-2020-03-10']);
    expect(soon).toEqual([expect.objectContaining({ notice: 'xiangyang-2022-06-15', daysLeft: 0 })]);
    expect(ids(noticeExpiries(kb, '2022-12-20', 4).soon)).toEqual([]);
  });

  it('lists the temporary notices with no end date apart, with the words that make them temporary', () => {
    const { open } = noticeExpiries(kb, '2022-12-20', 30);
    const temporary = kb.notices.filter((n) => n.meta.kind === 'temporary' && !n.meta.expires);
    expect(temporary.length).toBeGreaterThan(0);
    expect(ids(open)).toEqual(temporary.map((n) => n.id).sort());
    for (const o of open) expect(o.temporary).toBeTruthy();
    expect(ids(open)).not.toContain('jingzhou-2022-05-10');
  });

  it('lists no standing notice anywhere', () => {
    const standing = kb.notices.filter((n) => n.meta.kind === 'standing').map((n) => n.id);
    const { expired, soon, open } = noticeExpiries(kb, '2022-12-20', 10_000);
    for (const id of standing) expect([...ids(expired), ...ids(soon), ...ids(open)]).not.toContain(id);
  });
});
