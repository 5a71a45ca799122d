import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestNotice } from '../../../src/ingest/notice.js';
import { parseSidecar } from '../../../src/ingest/sidecar.js';
import { STAGED_MAX_BYTES, Staging } from '../../../src/ops/knowledge/staging.js';
import { afterTest } from '../../helpers/cleanup.js';
import { FIXTURES, KNOWLEDGE_DIR, projectGazetteer } from '../../helpers/knowledge.js';

const NOTICE = join(FIXTURES, 'ops', 'linhu-2022-05-16.txt');

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hl-staging-test-'));
  afterTest(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function staging(): Promise<Staging> {
  return new Staging(join(await tempDir(), 'staging'));
}

/** A refusal's code and message. */
async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = (await p.then(
    () => null,
    (e: unknown) => e,
  )) as { code: string; message: string } | null;
  if (!err) throw new Error('expected a refusal');
  return { code: err.code, message: err.message };
}

describe('the staging area', () => {
  it('is created on demand and lists what was put, by name, with size and time', async () => {
    const s = await staging();
    expect(await s.list()).toEqual([]);
    const bytes = await readFile(NOTICE);
    const put = await s.put('linhu-2022-05-16.txt', bytes);
    expect(put).toMatchObject({ name: 'linhu-2022-05-16.txt', size: bytes.length });
    await s.put('linhu-2022-05-16.yaml', Buffer.from('version: 1\nregion: 北京\n'));
    const listed = await s.list();
    expect(listed.map((f) => f.name)).toEqual(['linhu-2022-05-16.txt', 'linhu-2022-05-16.yaml']);
    expect(listed[0]?.at).toBeGreaterThan(0);
    expect(listed.every((f) => f.problem === undefined)).toBe(true);
  });

  it.each([
    ['../linhu.txt', 'folder'],
    ['a/b.txt', 'folder'],
    ['a..b.txt', '..'],
    ['.hidden.txt', 'dot'],
    ['notice.pdf', '.txt'],
    ['notice', '.txt'],
    ['临湖 通知.txt', 'letters, digits'],
    ['-dash-first.txt', 'letters, digits'],
  ])('refuses the name %s', async (name, why) => {
    const s = await staging();
    const e = await refusal(s.put(name, Buffer.from('关于某事的通知\n一、内容。')));
    expect(e.code).toBe('HL_ERR_STAGED_INVALID');
    expect(e.message).toContain(why);
    expect(await s.list()).toEqual([]);
  });

  it('takes the stems the build takes and refuses those it refuses', async () => {
    const gazetteer = await projectGazetteer();
    const builds = (stem: string) => {
      try {
        ingestNotice({ stem, file: `${stem}.txt`, bytes: Buffer.from('关于某事的通知\n一、内容。') }, gazetteer);
        return true;
      } catch {
        return false;
      }
    };
    const s = await staging();
    for (const stem of ['临湖-2022.05_16', 'x', '2020年', '-x', '_x', 'a b', 'a+b']) {
      const staged = await s.put(`${stem}.txt`, Buffer.from('关于某事的通知\n一、内容。')).then(
        () => true,
        () => false,
      );
      expect(staged, stem).toBe(builds(stem));
    }
  });

  it('refuses a file over 2 MB, an empty or binary notice, and a sidecar the schema refuses, saying why', async () => {
    const s = await staging();
    const big = await refusal(s.put('big.txt', Buffer.alloc(STAGED_MAX_BYTES + 1, 0x41)));
    expect(big).toMatchObject({ code: 'HL_ERR_STAGED_INVALID' });
    expect(big.message).toContain('2 MB');
    expect((await refusal(s.put('empty.txt', Buffer.alloc(0)))).message).toContain('empty');
    expect((await refusal(s.put('image.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1])))).message).toContain('binary');
    const unknownKey = await refusal(s.put('linhu-2022-05-16.yaml', Buffer.from('version: 1\nexpiry: 2022-12-31\n')));
    expect(unknownKey.code).toBe('HL_ERR_STAGED_INVALID');
    expect(unknownKey.message).toContain('expiry');
    const badDate = await refusal(s.put('linhu-2022-05-16.yaml', Buffer.from('version: 1\nexpires: 31/12/2022\n')));
    expect(badDate.message).toMatch(/expires/);
    expect((await refusal(s.put('x.yaml', Buffer.from('version: [1\n')))).code).toBe('HL_ERR_STAGED_INVALID');
    expect(await s.list()).toEqual([]);
  });

  it('stages a .yml sidecar under the .yaml name the build reads', async () => {
    const s = await staging();
    expect((await s.put('linhu-2022-05-16.yml', Buffer.from('version: 1\n'))).name).toBe('linhu-2022-05-16.yaml');
    expect((await s.list()).map((f) => f.name)).toEqual(['linhu-2022-05-16.yaml']);
  });

  it('lists a file dropped in by hand with its problem, and leaves temp files out', async () => {
    const s = await staging();
    await mkdir(s.dir, { recursive: true });
    await writeFile(join(s.dir, 'notes.docx'), 'x');
    await writeFile(join(s.dir, 'bad.yaml'), 'version: 2\n');
    await writeFile(join(s.dir, '.linhu.txt.123.abcd.tmp'), 'half');
    const listed = await s.list();
    expect(listed.map((f) => f.name)).toEqual(['bad.yaml', 'notes.docx']);
    expect(listed.every((f) => typeof f.problem === 'string')).toBe(true);
    await s.remove('notes.docx');
    expect((await s.list()).map((f) => f.name)).toEqual(['bad.yaml']);
  });

  it('removes one file (HL_ERR_STAGED_NOT_FOUND for none) and clears them all', async () => {
    const s = await staging();
    await s.put('a.txt', await readFile(NOTICE));
    await s.put('b.txt', await readFile(NOTICE));
    await s.remove('a.txt');
    expect((await s.list()).map((f) => f.name)).toEqual(['b.txt']);
    expect((await refusal(s.remove('a.txt'))).code).toBe('HL_ERR_STAGED_NOT_FOUND');
    expect((await refusal(s.remove('../b.txt'))).code).toBe('HL_ERR_STAGED_NOT_FOUND');
    await s.clear();
    expect(await readdir(s.dir)).toEqual([]);
  });
});

describe('setting a live notice’s expiry', () => {
  async function liveCopy(): Promise<string> {
    const dir = await tempDir();
    await mkdir(join(dir, 'notices'));
    for (const f of ['baotou-2022-10-08.txt', 'baotou-2022-10-08.yaml', 'dalian-2020-02-20.txt']) {
      await writeFile(join(dir, 'notices', f), await readFile(join(KNOWLEDGE_DIR, 'notices', f)));
    }
    return dir;
  }

  it('stages a sidecar making it temporary until the day, keeping the live sidecar’s fields and comments', async () => {
    const live = await liveCopy();
    const s = await staging();
    await s.stageExpiry(live, 'baotou-2022-10-08', '2023-01-31');
    const text = await readFile(join(s.dir, 'baotou-2022-10-08.yaml'), 'utf8');
    const sidecar = parseSidecar(text, 'staged');
    expect(sidecar).toMatchObject({ version: 1, kind: 'temporary', expires: '2023-01-31' });
    expect(sidecar.corrections).toEqual(
      parseSidecar(await readFile(join(live, 'notices', 'baotou-2022-10-08.yaml'), 'utf8'), 'live').corrections,
    );
    expect(text).toContain('# Repairs for characters damaged');
    // The live folder is untouched: the change waits for preview and publish.
    expect(await readFile(join(live, 'notices', 'baotou-2022-10-08.yaml'), 'utf8')).not.toContain('expires');
  });

  it('writes a fresh sidecar for a notice without one, and with null takes the end date away', async () => {
    const live = await liveCopy();
    const s = await staging();
    await s.stageExpiry(live, 'dalian-2020-02-20', null);
    expect(parseSidecar(await readFile(join(s.dir, 'dalian-2020-02-20.yaml'), 'utf8'), 'staged')).toEqual({
      version: 1,
      kind: 'temporary',
      expires: null,
    });
    // A second change starts from the staged sidecar.
    await s.stageExpiry(live, 'dalian-2020-02-20', '2020-06-30');
    expect(parseSidecar(await readFile(join(s.dir, 'dalian-2020-02-20.yaml'), 'utf8'), 'staged').expires).toBe('2020-06-30');
  });

  it('refuses a notice that is not there, and a day that is no day', async () => {
    const live = await liveCopy();
    const s = await staging();
    expect((await refusal(s.stageExpiry(live, 'nowhere-2020', '2020-01-01'))).code).toBe('HL_ERR_NOTICE_NOT_FOUND');
    expect((await refusal(s.stageExpiry(live, 'dalian-2020-02-20', '2020-02-30'))).code).toBe('HL_ERR_STAGED_INVALID');
    expect(await s.list()).toEqual([]);
  });
});
