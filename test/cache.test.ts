import { chmod, cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BuildCache, fileParts, folderParts } from '../src/cache.js';
import { loadDialogueData } from '../src/dialogue/data.js';
import { loadLanguageData } from '../src/nlu/load.js';
import { ROOT } from './helpers/knowledge.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hl-cache-'));
});

afterEach(async () => {
  await chmod(dir, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

/** A build that counts its runs. */
function counted<T>(value: () => T): { build: () => Promise<T>; runs: () => number } {
  let runs = 0;
  return {
    build: async () => {
      runs++;
      return value();
    },
    runs: () => runs,
  };
}

describe('BuildCache (issue 14)', () => {
  it('builds a value once and reads it back on the next start, Maps, Sets and shared objects intact', async () => {
    const shared = { name: '包头' };
    const { build, runs } = counted(() => ({ list: [shared, shared], byName: new Map([['包头', shared]]), words: new Set(['医保']) }));
    const first = await new BuildCache(dir).get('places', ['input'], build);
    const cache = new BuildCache(dir);
    const again = await cache.get('places', ['input'], build);
    expect(runs()).toBe(1);
    expect(cache.events).toEqual([{ name: 'places', outcome: 'hit' }]);
    expect(again).toEqual(first);
    expect(again.list[0]).toBe(again.list[1]);
    expect(again.byName.get('包头')).toBe(again.list[0]);
    expect(again.words.has('医保')).toBe(true);
  });

  it('builds again when an input changes, and keeps one entry per name', async () => {
    const { build, runs } = counted(() => 'v');
    await new BuildCache(dir).get('notices', ['a'], build);
    await new BuildCache(dir).get('notices', ['b'], build);
    expect(runs()).toBe(2);
    expect((await readdir(dir)).filter((f) => f.startsWith('notices.'))).toHaveLength(1);
  });

  it('ignores an entry whose bytes were damaged, and builds it again', async () => {
    await new BuildCache(dir).get('notices', ['a'], async () => ({ text: '门诊慢特病'.repeat(100) }));
    const [file] = (await readdir(dir)).filter((f) => f.endsWith('.bin'));
    const bytes = await readFile(join(dir, file as string));
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] as number) ^ 0xff;
    await writeFile(join(dir, file as string), bytes);
    const cache = new BuildCache(dir);
    expect(await cache.get('notices', ['a'], async () => ({ text: 'rebuilt' }))).toEqual({ text: 'rebuilt' });
    expect(cache.events[0]).toMatchObject({ name: 'notices', outcome: 'rebuilt', error: expect.stringContaining('digest') });
    // … and the rebuilt entry is served from then on.
    expect(await new BuildCache(dir).get('notices', ['a'], async () => ({ text: 'again' }))).toEqual({ text: 'rebuilt' });
  });

  it('ignores a truncated entry or one that is not an entry at all', async () => {
    await new BuildCache(dir).get('places', ['a'], async () => [1, 2, 3]);
    const [file] = (await readdir(dir)).filter((f) => f.endsWith('.bin'));
    for (const bytes of [Buffer.alloc(0), Buffer.from('not a cache entry at all, just some text of sufficient length')]) {
      await writeFile(join(dir, file as string), bytes);
      expect(await new BuildCache(dir).get('places', ['a'], async () => [4])).toEqual([4]);
      await writeFile(join(dir, file as string), bytes);
    }
  });

  it('still gives the value when it cannot write the entry (a read-only disk)', async () => {
    await chmod(dir, 0o555);
    const { build, runs } = counted(() => 42);
    expect(await new BuildCache(join(dir, 'cache')).get('places', [], build)).toBe(42);
    expect(await new BuildCache(join(dir, 'cache')).get('places', [], build)).toBe(42);
    expect(runs()).toBe(process.getuid?.() === 0 ? 1 : 2);
  });

  it('does not cache a build that fails', async () => {
    await expect(
      new BuildCache(dir).get('regions', [], async () => {
        throw new Error('bad data');
      }),
    ).rejects.toThrow('bad data');
    expect(await new BuildCache(dir).get('regions', [], async () => 'good')).toBe('good');
  });
});

describe('key parts', () => {
  it('name each file of a folder by path and bytes: an edited, added or removed file changes them', async () => {
    await writeFile(join(dir, 'a.txt'), '一');
    const before = await folderParts(dir);
    await writeFile(join(dir, 'a.txt'), '二');
    const edited = await folderParts(dir);
    await writeFile(join(dir, 'b.txt'), '三');
    const added = await folderParts(dir);
    expect(new Set([before, edited, added].map((p) => JSON.stringify(p.map(String)))).size).toBe(3);
    expect(await folderParts(join(dir, 'none'))).toEqual([join(dir, 'none'), 'absent']);
    // A file linked into the folder counts by what it links to.
    await writeFile(join(dir, 'target.txt'), '四');
    const other = await mkdtemp(join(tmpdir(), 'hl-cache-link-'));
    await symlink(join(dir, 'target.txt'), join(other, 'linked.txt'));
    const linked = await folderParts(other);
    await writeFile(join(dir, 'target.txt'), '五');
    expect(JSON.stringify((await folderParts(other)).map(String))).not.toBe(JSON.stringify(linked.map(String)));
    await rm(other, { recursive: true, force: true });
    expect(await fileParts([join(dir, 'none.yaml')])).toEqual([join(dir, 'none.yaml'), 'absent']);
  });
});

describe('the intents folder through the cache', () => {
  it('reads an edited intent anew (issue 14)', async () => {
    const intents = join(dir, 'intents');
    await cp(join(ROOT, 'intents'), intents, { recursive: true });
    const cacheDir = join(dir, 'cache');
    const load = async () => {
      const load = () => Promise.all([loadLanguageData(intents), loadDialogueData(intents)]);
      return new BuildCache(cacheDir).get('intents', await folderParts(intents), load);
    };
    const [language] = await load();
    const file = join(intents, 'intents.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/examples:\n/, 'examples:\n      - 这是新加的一个例句\n'));
    const [edited] = await load();
    expect(edited.intents.flatMap((i) => i.examples)).toContain('这是新加的一个例句');
    expect(language.intents.flatMap((i) => i.examples)).not.toContain('这是新加的一个例句');
  });
});
