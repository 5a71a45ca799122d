import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slimDictionaries } from '../../src/nlu/dictionary.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hl-dict-'));
});

afterEach(() => rm(dir, { recursive: true, force: true }));

describe('slimDictionaries', () => {
  it('writes the slimmed dictionary once and finds it again without rewriting it (issue 14)', async () => {
    const first = await slimDictionaries(dir, 35);
    const written = await stat(first.dict);
    const again = await slimDictionaries(dir, 35);
    expect(again).toEqual(first);
    expect((await stat(again.dict)).mtimeMs).toBe(written.mtimeMs);
    const text = await readFile(first.dict, 'utf8');
    expect(text.split('\n').every((line) => line === '' || Number(line.split(' ')[1]) >= 35)).toBe(true);
  });

  it('writes a damaged dictionary again, whole', async () => {
    const first = await slimDictionaries(dir, 35);
    const good = await readFile(first.dict);
    await writeFile(first.dict, good.subarray(0, good.length >> 1));
    const again = await slimDictionaries(dir, 35);
    expect(await readFile(again.dict)).toEqual(good);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps a dictionary per minimum frequency', async () => {
    const a = await slimDictionaries(dir, 35);
    const b = await slimDictionaries(dir, 100);
    expect(a.dict).not.toBe(b.dict);
    expect((await stat(b.dict)).size).toBeLessThan((await stat(a.dict)).size);
  });
});
