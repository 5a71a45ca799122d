/**
 * The reliability suite at full size (issue 12): each check in its own process (`node --expose-gc --import
 * tsx`), one after another, so one's heap and load do not disturb the next. Each result is kept as JSON in
 * bench/reliability/out/ (with the date, the command, the commit and the machine), and RESULTS.md is
 * written from the latest result of every check. Exits 1 when a check that ran failed.
 *   npm run reliability [-- --soak-minutes 30] [-- --only fuzz,flood]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../lib/server.js';
import { type CheckResult, format, machine, numberArg, parseArgs, summarize } from './lib/check.js';

interface Stored extends CheckResult {
  date: string;
  command: string;
  commit: string;
  machine: string;
}

const HERE = join(ROOT, 'bench', 'reliability');
const OUT = join(HERE, 'out');
const args = parseArgs();
const soakMinutes = numberArg(args, 'soak-minutes', 30);

/** The checks in the order they run, with their full sizes. */
const CHECKS: { name: string; args: string[] }[] = [
  { name: 'fuzz', args: ['--count', '14500'] },
  { name: 'sigkill', args: ['--kills', '20'] },
  { name: 'consoles', args: ['--cycles', '6000', '--warmup', '500'] },
  { name: 'flood', args: ['--sockets', '3000'] },
  { name: 'stalled', args: ['--sockets', '50', '--timeout-ms', '2000'] },
  { name: 'soak', args: ['--minutes', String(soakMinutes)] },
];

const only = args.get('only')?.split(',');
const unknown = only?.filter((n) => !CHECKS.some((c) => c.name === n)) ?? [];
if (unknown.length > 0) throw new Error(`no check ${unknown.join(', ')}; the checks: ${CHECKS.map((c) => c.name).join(', ')}`);
await mkdir(OUT, { recursive: true });

let failed = 0;
for (const check of CHECKS.filter((c) => !only || only.includes(c.name))) {
  const out = join(OUT, `${check.name}.json`);
  const script = join('bench', 'reliability', `${check.name}.ts`);
  const command = `node --expose-gc --import tsx ${script} ${check.args.join(' ')}`;
  console.log(`\n▶ ${command}`);
  await rm(out, { force: true });
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script, ...check.args, '--out', out], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    child.once('exit', resolve);
  });
  let result: CheckResult;
  try {
    result = JSON.parse(await readFile(out, 'utf8')) as CheckResult;
  } catch {
    result = {
      check: check.name,
      pass: false,
      reasons: [`the check itself did not finish (exit code ${code})`],
      sizes: {},
      figures: {},
      examples: [],
      seconds: 0,
    };
  }
  if (!result.pass) failed++;
  const stored: Stored = { ...result, date: new Date().toISOString(), command, commit: commit(), machine: machine() };
  await writeFile(out, JSON.stringify(stored, null, 2));
}

const results: Stored[] = [];
for (const c of CHECKS) {
  const stored = await readFile(join(OUT, `${c.name}.json`), 'utf8').then(
    (t) => JSON.parse(t) as Stored,
    () => null,
  );
  if (stored?.date) results.push(stored);
}
await writeFile(join(HERE, 'RESULTS.md'), render(results));
console.log(`\n${results.map(summarize).join('\n\n')}\n\nbench/reliability/RESULTS.md written`);
process.exitCode = failed > 0 ? 1 : 0;

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', 'src'], { cwd: ROOT }).toString().trim();
    return dirty ? `${head} (src modified)` : head;
  } catch {
    return 'unknown';
  }
}

function render(rs: Stored[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const section = (r: Stored) => {
    const lines = [
      `## ${r.check} — ${r.pass ? 'pass' : 'FAIL'}`,
      '',
      `\`${r.command}\` on ${r.date.slice(0, 16).replace('T', ' ')} UTC, commit ${r.commit}, ${r.machine}; ${r.seconds.toFixed(0)} s.`,
      '',
      `Sizes: ${Object.entries(r.sizes)
        .map(([k, v]) => `${k} ${format(v)}`)
        .join(', ')}.`,
      '',
      '| figure | value |',
      '|---|---|',
      ...Object.entries(r.figures).map(([k, v]) => `| ${k} | ${cell(format(v))} |`),
    ];
    if (r.reasons.length > 0) lines.push('', 'Why it failed:', '', ...r.reasons.map((x) => `- ${cell(x)}`));
    if (r.examples.length > 0) lines.push('', 'Examples (first of each kind):', '', ...r.examples.map((x) => `- ${cell(x).slice(0, 400)}`));
    if (r.series) {
      lines.push('', `${r.series.label}:`, '', `| ${r.series.columns.join(' | ')} |`, `|${r.series.columns.map(() => '---').join('|')}|`);
      for (const row of r.series.rows) lines.push(`| ${row.map((v) => (v === null ? '—' : format(v))).join(' | ')} |`);
    }
    return lines.join('\n');
  };
  return `# Reliability suite — results

Written by \`npm run reliability\` (\`bench/reliability/run.ts\`) from each check's latest run (\`bench/reliability/out/\`);
each check runs in its own process, one after another, against the service on this machine's loopback. What each
check does and when it passes: the comment at the top of its script.

| check | verdict | run | command |
|---|---|---|---|
${rs.map((r) => `| ${r.check} | ${r.pass ? 'pass' : 'FAIL'} | ${r.date.slice(0, 10)}, ${r.seconds.toFixed(0)} s | \`${r.command}\` |`).join('\n')}

${rs.map(section).join('\n\n')}
`;
}
