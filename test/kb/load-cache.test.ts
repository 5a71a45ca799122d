import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BuildCache } from '../../src/cache.js';
import type { KnowledgeBase } from '../../src/kb/knowledge-base.js';
import { buildFromDir } from '../../src/kb/load.js';
import { projectAssistant } from '../helpers/assistant.js';
import { KNOWLEDGE_DIR, ROOT } from '../helpers/knowledge.js';

let dir: string;
let knowledge: string;
let cacheDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hl-kb-cache-'));
  knowledge = join(dir, 'knowledge');
  cacheDir = join(dir, 'cache');
  await cp(KNOWLEDGE_DIR, knowledge, { recursive: true });
});

afterAll(() => rm(dir, { recursive: true, force: true }));

/** The knowledge base built through the cache, and what the cache did for each entry. */
async function throughCache(): Promise<{ kb: KnowledgeBase; events: Record<string, string> }> {
  const cache = new BuildCache(cacheDir);
  const kb = await buildFromDir(knowledge, undefined, cache);
  return { kb, events: Object.fromEntries(cache.events.map((e) => [e.name, e.outcome])) };
}

/** Every question of the own evaluation set, each turn as a conversation's first. */
async function questions(): Promise<{ text: string; region?: string }[]> {
  const lines = (await readFile(join(ROOT, 'test', 'eval', 'questions.jsonl'), 'utf8')).split('\n').filter((l) => l.trim());
  return lines.flatMap((l) =>
    (JSON.parse(l) as { turns: { q: string; region?: string }[] }).turns.map((t) => ({ text: t.q, region: t.region })),
  );
}

describe('the knowledge base through the build cache (issue 14)', () => {
  it('is read back from the cache on the next start and answers exactly as a fresh build does', async () => {
    const fresh = await buildFromDir(knowledge);
    expect((await throughCache()).events).toMatchObject({ notices: 'built' });
    const { kb: cached, events } = await throughCache();
    expect(events).toMatchObject({ notices: 'hit', gazetteer: 'hit' });
    expect(cached.notices).toEqual(fresh.notices);
    expect(cached.skipped).toEqual(fresh.skipped);
    expect(cached.counts).toEqual(fresh.counts);

    const assistant = await projectAssistant();
    const differ: string[] = [];
    for (const [i, q] of (await questions()).entries()) {
      const ask = (kb: KnowledgeBase) => {
        const { sessionId: _, ...reply } = assistant.ask(kb, { ...q, sessionId: `load-cache-${i}-${kb === fresh ? 'a' : 'b'}` });
        return reply;
      };
      if (JSON.stringify(ask(fresh)) !== JSON.stringify(ask(cached))) differ.push(q.text);
    }
    expect(differ).toEqual([]);
  });

  it('picks up a notice dropped into the folder, and one edited, with no code change', async () => {
    const before = (await throughCache()).kb;
    const notices = join(knowledge, 'notices');
    await cp(join(notices, 'baotou-2022-10-08.txt'), join(notices, 'baotou-copy-2022-10-09.txt'));
    const added = await throughCache();
    expect(added.events).toMatchObject({ notices: 'built' });
    expect(added.kb.counts.notices).toBe(before.counts.notices + 1);
    expect(added.kb.notice('baotou-copy-2022-10-09')).toBeDefined();

    const file = join(notices, 'baotou-copy-2022-10-09.txt');
    await writeFile(file, `${await readFile(file, 'utf8')}\n六、本通知所称新增条款，仅供测试。\n`);
    const edited = await throughCache();
    expect(edited.events).toMatchObject({ notices: 'built' });
    expect(edited.kb.notice('baotou-copy-2022-10-09')?.text).toContain('仅供测试');
    await rm(file);
    expect((await throughCache()).kb.counts.notices).toBe(before.counts.notices);
  });

  it('rebuilds a damaged entry instead of failing to start', async () => {
    const { kb } = await throughCache();
    for (const f of (await readdir(cacheDir)).filter((f) => f.endsWith('.bin'))) await writeFile(join(cacheDir, f), 'damaged');
    const rebuilt = await throughCache();
    expect(rebuilt.events).toMatchObject({ notices: 'rebuilt', gazetteer: 'rebuilt' });
    expect(rebuilt.kb.notices).toEqual(kb.notices);
    expect((await throughCache()).events).toMatchObject({ notices: 'hit', gazetteer: 'hit' });
  });
});

describe('the gazetteer through the build cache (issue 14)', () => {
  it('gives the same gazetteer as one built afresh, and is built again on the cached places when regions.yaml changes', async () => {
    const load = async (cache?: BuildCache) => {
      vi.resetModules();
      const { loadGazetteer } = await import('../../src/geo/gazetteer.js');
      const g = await loadGazetteer(join(knowledge, 'regions.yaml'), cache);
      return { g, events: Object.fromEntries((cache?.events ?? []).map((e) => [e.name, e.outcome])) };
    };
    const own = join(dir, 'gazetteer-cache');
    const fresh = (await load()).g;
    expect((await load(new BuildCache(own))).events).toMatchObject({ gazetteer: 'built', places: 'built' });
    const { g: cached, events } = await load(new BuildCache(own));
    expect(events).toEqual({ gazetteer: 'hit' });

    const texts = (await buildFromDir(knowledge)).notices.flatMap((n) => n.clauses.map((c) => c.norm));
    texts.push('离沪返京的参保人', '旅顺的医保', '大同市的门诊', '首都医保');
    const names = fresh.all().flatMap((p) => [p.name, p.fullName]);
    const view = (g: typeof fresh) => ({
      all: g.all(),
      mentions: texts.map((t) => g.mentions(t)),
      implied: texts.map((t) => g.implied(t)),
      resolved: [...names, '旅顺', '首都', '西海岸新区'].map((n) => g.resolve(n).map((p) => p.code)),
      bodies: ['宁波市医疗保障局', '国家税务总局海南省税务局', '江北区医疗保障局'].map((b) => g.placeOfBody(b)?.code ?? null),
    });
    expect(view(cached)).toEqual(view(fresh));

    const regions = join(knowledge, 'regions.yaml');
    const text = await readFile(regions, 'utf8');
    await writeFile(regions, text.replace(/aliases:\s*\n/, 'aliases:\n  钢城: 包头市\n'));
    try {
      const edited = await load(new BuildCache(own));
      expect(edited.events).toEqual({ gazetteer: 'built', places: 'hit' });
      expect(edited.g.resolve('钢城').map((p) => p.name)).toContain('包头');
      expect(cached.resolve('钢城').map((p) => p.name)).not.toContain('包头');
    } finally {
      await writeFile(regions, text);
    }
  });
});
