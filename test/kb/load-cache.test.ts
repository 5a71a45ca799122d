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
    expect(events).toMatchObject({ notices: 'hit', regions: 'hit' });
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
    expect(rebuilt.events).toMatchObject({ notices: 'rebuilt', regions: 'rebuilt' });
    expect(rebuilt.kb.notices).toEqual(kb.notices);
    expect((await throughCache()).events).toMatchObject({ notices: 'hit', regions: 'hit' });
  });
});

describe('the places through the build cache (issue 14)', () => {
  it('give the same gazetteer as places built afresh', async () => {
    const load = async (cache?: BuildCache) => {
      vi.resetModules();
      const { loadGazetteer } = await import('../../src/geo/gazetteer.js');
      return loadGazetteer(join(knowledge, 'regions.yaml'), cache);
    };
    const fresh = await load();
    await load(new BuildCache(cacheDir));
    const cache = new BuildCache(cacheDir);
    const cached = await load(cache);
    expect(cache.events.find((e) => e.name === 'places')?.outcome).toBe('hit');

    const texts = (await buildFromDir(knowledge)).notices.flatMap((n) => n.clauses.map((c) => c.norm));
    const names = fresh.all().flatMap((p) => [p.name, p.fullName]);
    const view = (g: typeof fresh) => ({
      all: g.all(),
      mentions: texts.map((t) => g.mentions(t)),
      resolved: names.map((n) => g.resolve(n).map((p) => p.code)),
      bodies: ['宁波市医疗保障局', '国家税务总局海南省税务局', '江北区医疗保障局'].map((b) => g.placeOfBody(b)?.code ?? null),
    });
    expect(view(cached)).toEqual(view(fresh));
  });
});
