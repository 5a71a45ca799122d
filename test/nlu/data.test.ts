import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLanguageData } from '../../src/nlu/load.js';
import { Normalizer } from '../../src/nlu/normalize.js';
import { ROOT } from '../helpers/knowledge.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hl-intents-'));
  await cp(join(ROOT, 'intents'), dir, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('language data', () => {
  it('loads the project’s intents, every one with examples, handoff intents with a reason', async () => {
    const data = await loadLanguageData(join(ROOT, 'intents'));
    expect(data.intents.length).toBeGreaterThanOrEqual(30);
    for (const i of data.intents) expect(i.examples.length).toBeGreaterThanOrEqual(10);
    for (const i of data.intents.filter((x) => x.kind === 'handoff')) expect(i.reason).toBeDefined();
  });

  it('names the file and the place of a fault', async () => {
    await writeFile(join(dir, 'intents.yaml'), 'version: 1\nintents:\n  - { id: Bad-Id, kind: notice, examples: [x] }\n');
    await expect(loadLanguageData(dir)).rejects.toMatchObject({
      code: 'HL_ERR_DATA_INVALID',
      message: expect.stringMatching(/intents\.yaml.*\/intents\/0\/id/),
    });
  });

  it('refuses an intent defined twice', async () => {
    await writeFile(
      join(dir, 'intents.yaml'),
      'version: 1\nintents:\n  - { id: a, kind: notice, examples: [x] }\n  - { id: a, kind: notice, examples: [y] }\n',
    );
    await expect(loadLanguageData(dir)).rejects.toMatchObject({ message: expect.stringContaining("'a' is defined twice") });
  });
});

describe('question normalization', () => {
  const n = new Normalizer({
    version: 1,
    synonyms: { 慢性病: ['慢病'], 异地就医: ['跨省看病'] },
    typos: { 医保: ['一保'], 备案: ['备按'] },
  });

  it('folds script and width, then rewrites synonyms and typos', () => {
    expect(n.normalize('包頭慢病ＡＰＰ一保備按').norm).toBe('包头慢性病app医保备案');
    expect(n.normalize('跨省看病怎么办').norm).toBe('异地就医怎么办');
  });

  it('tells a Traditional question from a Simplified one', () => {
    expect(n.normalize('門診慢性病處方可以開多久').script).toBe('traditional');
    expect(n.normalize('门诊慢性病处方可以开多久').script).toBe('simplified');
  });
});
