import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildCache } from '../../src/cache.js';
import { loadConfig } from '../../src/config.js';
import { type JiebaDictionaries, slimDictionaries } from '../../src/nlu/dictionary.js';
import { type LanguageData, Nlu } from '../../src/nlu/index.js';
import { loadLanguageData } from '../../src/nlu/load.js';

const config = loadConfig({});
let dir: string;
let data: LanguageData;
let dictionaries: JiebaDictionaries;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hl-nlu-cache-'));
  data = await loadLanguageData(config.intentsDir);
  dictionaries = await slimDictionaries(`${config.dataDir}/cache`, config.jiebaMinFrequency);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

const questions = readFileSync(new URL('../eval/questions.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .flatMap((l) => (JSON.parse(l) as { turns: { q: string }[] }).turns.map((t) => t.q));

/** The Nlu through a build cache in the test's folder, and what the cache did. */
async function load(d: LanguageData): Promise<{ nlu: Nlu; outcome: string | undefined }> {
  const cache = new BuildCache(dir);
  const nlu = await Nlu.load(d, dictionaries, cache);
  return { nlu, outcome: cache.events[0]?.outcome };
}

describe('the NLU through the build cache (issue 14)', () => {
  it('understands every question exactly as an NLU built afresh, its derived state read back from the cache', async () => {
    const fresh = new Nlu(data, dictionaries);
    expect((await load(data)).outcome).toBe('built');
    const { nlu: cached, outcome } = await load(data);
    expect(outcome).toBe('hit');
    expect(cached.model()).toEqual(fresh.model());
    for (const q of questions) {
      expect(cached.understand(q)).toEqual(fresh.understand(q));
      expect(cached.smalltalk(cached.normalize(q))).toBe(fresh.smalltalk(fresh.normalize(q)));
    }
  });

  it('derives it again when an intent changes', async () => {
    await load(data);
    const [first, ...rest] = data.intents;
    const edited = {
      ...data,
      intents: [{ ...(first as (typeof data.intents)[number]), examples: [...(first?.examples ?? []), '新加的一个例句'] }, ...rest],
    };
    expect((await load(edited)).outcome).toBe('built');
    expect((await load(edited)).outcome).toBe('hit');
  });
});
