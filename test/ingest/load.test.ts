import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadNotices } from '../../src/ingest/load.js';
import { FIXTURES, KNOWLEDGE_DIR, projectGazetteer } from '../helpers/knowledge.js';

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hl-load-'));
  temps.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('loading a folder of notices', () => {
  it('reports and skips empty, binary and undecodable files, and still loads the others', async () => {
    const r = await loadNotices(join(FIXTURES, 'bad'), await projectGazetteer());
    expect(r.notices.map((n) => n.id)).toEqual(['shanghai-gbk-2020-02-03']);
    expect(r.skipped.map((s) => [s.file.split('/').at(-1), s.code])).toEqual([
      ['empty.txt', 'HL_ERR_NOTICE_EMPTY'],
      ['garbled.txt', 'HL_ERR_NOTICE_ENCODING'],
      ['image.txt', 'HL_ERR_NOTICE_BINARY'],
    ]);
    for (const s of r.skipped) expect(s.message).toContain(s.file);
  });

  it('converts a GBK file to text and ingests it like any other', async () => {
    const r = await loadNotices(join(FIXTURES, 'bad'), await projectGazetteer());
    const n = r.notices[0];
    expect(n?.encoding).toBe('gb18030');
    expect(n?.meta.region).toBe('上海');
    expect(n?.clauses.find((c) => c.path === '一')?.quote).toBe('一、离沪期间就医的参保人员，可在返沪后3个月内办理医疗费用报销。');
  });

  it('lets a sidecar override inferred metadata and says which fields came from it', async () => {
    const dir = await tempDir();
    await cp(join(KNOWLEDGE_DIR, 'notices', 'yunnan-2020-01.txt'), join(dir, 'yunnan-2020-01.txt'));
    await writeFile(join(dir, 'yunnan-2020-01.yaml'), 'version: 1\ndate: "2020-01-24"\ndocNumber: 云医保〔2020〕11号\nregion: 云南省\n');
    const r = await loadNotices(dir, await projectGazetteer());
    const n = r.notices[0];
    expect(n?.meta).toMatchObject({ date: '2020-01-24', docNumber: '云医保〔2020〕11号', region: '云南', authority: '云南省医疗保障局' });
    expect(n?.metaSources).toMatchObject({ date: 'sidecar', docNumber: 'sidecar', region: 'sidecar', authority: 'text' });
  });

  it('skips a notice whose sidecar is invalid, naming the file and the place', async () => {
    const dir = await tempDir();
    await cp(join(KNOWLEDGE_DIR, 'notices', 'dalian-2020-02-20.txt'), join(dir, 'dalian-2020-02-20.txt'));
    await cp(join(KNOWLEDGE_DIR, 'notices', 'beijing-2020-02-07.txt'), join(dir, 'beijing-2020-02-07.txt'));
    await writeFile(join(dir, 'dalian-2020-02-20.yaml'), 'version: 1\ndate: yesterday\n');
    const r = await loadNotices(dir, await projectGazetteer());
    expect(r.notices.map((n) => n.id)).toEqual(['beijing-2020-02-07']);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]?.code).toBe('HL_ERR_SIDECAR_INVALID');
    expect(r.skipped[0]?.message).toContain('dalian-2020-02-20.yaml');
    expect(r.skipped[0]?.message).toContain('/date');
  });

  it('reports a correction that matches nothing', async () => {
    const dir = await tempDir();
    await cp(join(KNOWLEDGE_DIR, 'notices', 'dalian-2020-02-20.txt'), join(dir, 'dalian-2020-02-20.txt'));
    await writeFile(join(dir, 'dalian-2020-02-20.yaml'), 'version: 1\ncorrections:\n  - { from: "不存在的文字", to: "x" }\n');
    const [n] = (await loadNotices(dir, await projectGazetteer())).notices;
    expect(n?.notes).toContain('correction "不存在的文字" → "x" matched nothing');
  });

  it('refuses a file name that cannot be an id', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'has space.txt'), '一、测试内容。');
    const r = await loadNotices(dir, await projectGazetteer());
    expect(r.skipped[0]?.code).toBe('HL_ERR_NOTICE_UNREADABLE');
  });
});
