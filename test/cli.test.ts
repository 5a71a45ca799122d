/** `npm run kb` as a person runs it: the report per notice, and the exit code when a notice can't be read. */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWLEDGE_DIR, ROOT } from './helpers/knowledge.js';

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hl-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function kb(knowledge: string, ...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src', 'cli', 'kb.ts'), '--dir', knowledge, '--out', join(dir, `${Math.random()}.json`), ...args],
      { cwd: ROOT },
    );
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe('npm run kb', () => {
  it('prints metadata with its sources, clauses, facts by type, repairs and totals for the five notices, and exits 0', async () => {
    const { code, stdout } = await kb(KNOWLEDGE_DIR);
    expect(code).toBe(0);
    expect(stdout).toContain('■ baotou-2022-10-08');
    expect(stdout).toContain('corrected  “慢性?。ㄩT診” → “慢性病(門診” ×2');
    expect(stdout).toMatch(/■ dalian-2020-02-20[\s\S]*?date {7}2020-02-20 \[filename\]/);
    expect(stdout).toMatch(/facts {6}\d+: .*phone 3/);
    expect(stdout).toMatch(/^5 notices, \d+ clauses, \d+ facts \(.*\), 0 skipped$/m);
  });

  it('reports a notice it cannot read, still builds the others, and exits 1', async () => {
    const knowledge = join(dir, 'knowledge');
    await mkdir(join(knowledge, 'notices'), { recursive: true });
    await cp(join(KNOWLEDGE_DIR, 'regions.yaml'), join(knowledge, 'regions.yaml'));
    await cp(join(KNOWLEDGE_DIR, 'notices', 'dalian-2020-02-20.txt'), join(knowledge, 'notices', 'dalian-2020-02-20.txt'));
    await writeFile(join(knowledge, 'notices', 'broken.txt'), Buffer.from([0x00, 0x01, 0x02, 0xff]));
    const { code, stdout } = await kb(knowledge);
    expect(code).toBe(1);
    expect(stdout).toContain('■ dalian-2020-02-20');
    expect(stdout).toMatch(/✗ skipped .*broken\.txt: HL_ERR_NOTICE_BINARY/);
    expect(stdout).toMatch(/1 notices, .* 1 skipped/);
  });

  it('prints the report as JSON with --json', async () => {
    const { stdout } = await kb(KNOWLEDGE_DIR, '--json');
    const report = JSON.parse(stdout);
    expect(report.totals.notices).toBe(5);
    expect(report.notices.find((n: { id: string }) => n.id === 'yunnan-2020-01').metaSources.docNumber).toBe('none');
  });
});
