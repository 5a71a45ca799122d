import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import jieba from 'nodejieba';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { slimDictionaries } from '../../src/nlu/dictionary.js';
import { Nlu } from '../../src/nlu/index.js';
import { loadLanguageData } from '../../src/nlu/load.js';
import { keep, searchWords } from '../../src/nlu/segment.js';

const config = loadConfig({});
const ROOT = join(import.meta.dirname, '..', '..');

describe('search-mode words', () => {
  it('are jieba’s cutForSearch words with content, for every question, intent example and notice line (issue 14)', async () => {
    const data = await loadLanguageData(config.intentsDir);
    const nlu = new Nlu(data, await slimDictionaries(`${config.dataDir}/cache`, config.jiebaMinFrequency));
    const questions = (await readFile(join(ROOT, 'test', 'eval', 'questions.jsonl'), 'utf8'))
      .split('\n')
      .filter((l) => l.trim())
      .flatMap((l) => (JSON.parse(l) as { turns: { q: string }[] }).turns.map((t) => t.q));
    const dir = join(ROOT, 'knowledge', 'notices');
    const notices = await Promise.all((await readdir(dir)).filter((f) => f.endsWith('.txt')).map((f) => readFile(join(dir, f), 'utf8')));
    const texts = [...questions, ...data.intents.flatMap((i) => i.examples), ...notices.flatMap((n) => n.split('\n'))];
    expect(texts.length).toBeGreaterThan(1000);
    let inside = 0;
    for (const text of texts) {
      const norm = nlu.normalize(text);
      const theirs = jieba.cutForSearch(norm).filter(keep);
      inside += theirs.length - jieba.cut(norm).filter(keep).length;
      // Twice: worked out, then from the words kept.
      expect(searchWords(norm), norm).toEqual(theirs);
      expect(searchWords(norm), norm).toEqual(theirs);
    }
    // Words inside longer words were there to find: not two plain cuts compared.
    expect(inside).toBeGreaterThan(100);
  });
});
