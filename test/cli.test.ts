/** The command-line tools as a person runs them: `npm run kb`, `ask`, `eval` and `calibrate`. */
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

async function cli(script: string, ...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', script), ...args], { cwd: ROOT });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe('npm run ask', () => {
  it('answers one conversation in the terminal and explains each reply: region, hits, rule, grounding', async () => {
    const { code, stdout } = await cli('ask.ts', '慢病的药一次最多能开几个月？', '包头', '--explain');
    expect(code).toBe(0);
    expect(stdout).toMatch(/\[clarify ·/);
    expect(stdout).toMatch(/\[answer ·[\s\S]*baotou-2022-10-08/);
    expect(stdout).toMatch(/region {4}包头 \(question\); scopes 包头/);
    expect(stdout).toMatch(/rule {6}answer/);
    expect(stdout).toContain('grounding ok');
  });

  it('answers from notices dropped in with --notices, as JSON with --json', async () => {
    const notices = join(dir, 'ask-notices');
    await mkdir(notices, { recursive: true });
    await writeFile(
      join(notices, 'taiyuan-2022-05-01.txt'),
      '太原市医疗保障局关于疫情期间医保经办的通知\n一、门诊慢特病患者一次可开具不超过10周的药量。\n二、咨询电话：0351-1234567。\n太原市医疗保障局\n2022年5月1日\n',
    );
    const { code, stdout } = await cli('ask.ts', '太原慢特病一次能开多久的药', '--notices', notices, '--json');
    expect(code).toBe(0);
    const reply = JSON.parse(stdout) as { type: string; text: string; citations: { notice: string }[] };
    expect(reply.type).toBe('answer');
    expect(reply.text).toContain('10周');
    expect(reply.citations[0]?.notice).toBe('taiyuan-2022-05-01');
  });
});

describe('npm run eval and npm run calibrate', () => {
  it('scores a labelled file over notices dropped into a copy, and calibrates on it without writing', async () => {
    const notices = join(dir, 'eval-notices');
    await mkdir(notices, { recursive: true });
    await writeFile(
      join(notices, 'lanzhou-2021-04-02.txt'),
      '兰州市医疗保障局关于延长医保经办时限的通知\n一、零星报销申报期限延长至发生费用之日起12个月。\n兰州市医疗保障局\n2021年4月2日\n',
    );
    const set = join(dir, 'set.jsonl');
    await writeFile(
      set,
      `${[
        {
          id: 't-1',
          tags: ['x'],
          turns: [{ q: '兰州零星报销多久内要申报', expect: { type: ['answer'], notice: 'lanzhou-2021-04-02', include: [['12个月']] } }],
        },
        { id: 't-2', turns: [{ q: '明天天气怎么样', expect: { type: ['fallback'] } }] },
      ]
        .map((i) => JSON.stringify(i))
        .join('\n')}\n`,
    );
    const evaluated = await cli('eval.ts', set, '--notices', notices, '--quiet');
    expect(evaluated.code).toBe(0);
    expect(evaluated.stdout).toContain('items  2/2 passed (100.0%)');
    expect(evaluated.stdout).toMatch(/answer +1\/1/);
    const calibrated = await cli('calibrate.ts', '--set', `${set}=${notices}`);
    expect(calibrated.code).toBe(0);
    expect(calibrated.stdout).toMatch(/^objective 2\.0 → 2\.0 after \d round/m);
    expect(calibrated.stdout).toContain('answer.threshold: ');
  }, 120_000);
});
