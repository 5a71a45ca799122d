import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../src/kb/knowledge-base.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { projectKnowledge } from '../helpers/knowledge.js';

async function emptyLike(): Promise<KnowledgeBase> {
  const kb = await projectKnowledge();
  return new KnowledgeBase({
    notices: [],
    skipped: [{ file: 'x.txt', code: 'HL_ERR_NOTICE_EMPTY', message: 'Notice x.txt is empty' }],
    regions: kb.regions,
    builtAt: new Date(0),
  });
}

describe('KnowledgeStore', () => {
  it('serves nothing before the first load and refuses with HL_ERR_KB_NOT_READY', () => {
    const store = new KnowledgeStore(projectKnowledge);
    expect(store.current).toBeNull();
    expect(() => store.require()).toThrowError(expect.objectContaining({ code: 'HL_ERR_KB_NOT_READY' }));
  });

  it('lets work wait for the first knowledge base, past a failed load, and resolves at once after', async () => {
    const kb = await projectKnowledge();
    const loads = [emptyLike(), Promise.resolve(kb)];
    const store = new KnowledgeStore(() => loads.shift() as Promise<KnowledgeBase>);
    let got: KnowledgeBase | null = null;
    const waiting = store.loaded().then((k) => {
      got = k;
    });
    expect((await store.reload()).ok).toBe(false);
    await Promise.resolve();
    expect(got).toBeNull();
    await store.reload();
    await waiting;
    expect(got).toBe(kb);
    expect(await store.loaded()).toBe(kb);
  });

  it('swaps in a new knowledge base on reload', async () => {
    const first = await projectKnowledge();
    const second = new KnowledgeBase({ notices: first.notices.slice(0, 2), skipped: [], regions: first.regions, builtAt: new Date() });
    const builds = [first, second];
    const store = new KnowledgeStore(async () => builds.shift() as KnowledgeBase);
    await store.reload();
    expect(store.current).toBe(first);
    const r = await store.reload();
    expect(r.ok).toBe(true);
    expect(store.current).toBe(second);
  });

  it('keeps the old knowledge base serving when a reload throws, and says why', async () => {
    const kb = await projectKnowledge();
    let fail = false;
    const store = new KnowledgeStore(async () => {
      if (fail) throw new Error('regions.yaml: bad indentation');
      return kb;
    });
    await store.reload();
    fail = true;
    const r = await store.reload();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('HL_ERR_KB_RELOAD_FAILED');
      expect(r.error.message).toContain('regions.yaml: bad indentation');
    }
    expect(store.current).toBe(kb);
  });

  it('treats a build that loaded no notice as a failed reload', async () => {
    const kb = await projectKnowledge();
    const empty = await emptyLike();
    const builds = [kb, empty];
    const store = new KnowledgeStore(async () => builds.shift() as KnowledgeBase);
    await store.reload();
    const r = await store.reload();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('HL_ERR_KB_EMPTY');
      expect(r.error.message).toContain('x.txt: Notice x.txt is empty');
    }
    expect(store.current).toBe(kb);
  });

  it('runs concurrent reloads once', async () => {
    const kb = await projectKnowledge();
    let calls = 0;
    const store = new KnowledgeStore(async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return kb;
    });
    await Promise.all([store.reload(), store.reload(), store.reload()]);
    expect(calls).toBe(1);
  });
});

describe('KnowledgeBase lookups', () => {
  it('cites a clause with the notice metadata and an anchor link', async () => {
    const kb = await projectKnowledge();
    expect(kb.citation('baotou-2022-10-08#五')).toMatchObject({
      notice: 'baotou-2022-10-08',
      clause: '五',
      title: '關于做好新冠肺炎疫情防控期間醫療保險經辦業務的緊急通知',
      authority: '包頭市醫療保險服務中心',
      docNumber: null,
      date: '2022-10-08',
      url: `/notices/baotou-2022-10-08#${encodeURIComponent('五')}`,
    });
    expect(kb.citation('baotou-2022-10-08#五', '慢性病處方購藥量可放寬至三個月')?.quote).toBe('慢性病處方購藥量可放寬至三個月');
    expect(kb.citation('baotou-2022-10-08#五', 'not in the clause')?.quote).toBe(kb.clause('baotou-2022-10-08#五')?.quote);
    expect(kb.citation('baotou-2022-10-08#九十九')).toBeUndefined();
  });

  it('finds notices and facts by region, in any alias', async () => {
    const kb = await projectKnowledge();
    expect(kb.regionNames()).toEqual(['云南', '包头', '北京', '商洛', '大连'].sort());
    expect(kb.noticesOf('包頭市').map((n) => n.id)).toEqual(['baotou-2022-10-08']);
    expect(kb.facts({ region: '大连', type: 'phone' }).map((f) => f.type === 'phone' && f.number)).toEqual(['83709222']);
    expect(kb.facts({ region: '北京', type: 'phone' })).toEqual([]);
  });
});
