/**
 * The reliability suite at full size (issue 12): each check in its own process (`node --expose-gc --import
 * tsx`), one after another, so one's heap and load do not disturb the next. Each result is kept as JSON in
 * bench/reliability/out/ (with the date, the command, the commit and the machine), and RESULTS.md is
 * written from the latest result of every check. Exits 1 when a check that ran failed.
 * A check with no result in out/ (a fresh checkout: out/ is not committed) keeps its section of the
 * RESULTS.md already there. A result run by hand (`tsx bench/reliability/soak.ts … --out FILE`) is taken in
 * with `--record soak=FILE[@commit]`, which runs nothing.
 *   npm run reliability [-- --soak-minutes 30] [-- --only fuzz,flood] [-- --record soak=/tmp/soak.json@abc1234]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
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

const commandOf = (check: (typeof CHECKS)[number]) =>
  `node --expose-gc --import tsx ${join('bench', 'reliability', `${check.name}.ts`)} ${check.args.join(' ')}`;

// Results run by hand, recorded as the checks' latest.
const records = args.get('record')?.split(',') ?? [];
for (const record of records) {
  const m = /^(\w+)=([^@]+)(?:@(\w+))?$/.exec(record);
  const check = CHECKS.find((c) => c.name === m?.[1]);
  if (!m || !check) throw new Error(`--record takes name=file[@commit], with a check's name: ${record}`);
  const file = m[2] as string;
  const result = JSON.parse(await readFile(file, 'utf8')) as CheckResult & Partial<Stored>;
  const command = `${commandOf(check).replace(/ --minutes \d+$/, '')}${check.name === 'soak' ? ` --minutes ${String(result.sizes.minutes)}` : ''}`;
  const stored: Stored = {
    ...result,
    date: result.date ?? (await stat(file)).mtime.toISOString(),
    command: result.command ?? command,
    commit: m[3] ?? result.commit ?? commit(),
    machine: result.machine ?? machine(),
  };
  await writeFile(join(OUT, `${check.name}.json`), JSON.stringify(stored, null, 2));
  console.log(`${check.name}: recorded ${file} (${stored.pass ? 'pass' : 'FAIL'})`);
}

let failed = 0;
for (const check of CHECKS.filter((c) => records.length === 0 && (!only || only.includes(c.name)))) {
  const out = join(OUT, `${check.name}.json`);
  const script = join('bench', 'reliability', `${check.name}.ts`);
  const command = commandOf(check);
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

const results: (Stored | Kept)[] = [];
const previous = kept(await readFile(join(HERE, 'RESULTS.md'), 'utf8').catch(() => ''));
for (const c of CHECKS) {
  const stored = await readFile(join(OUT, `${c.name}.json`), 'utf8').then(
    (t) => JSON.parse(t) as Stored,
    () => null,
  );
  const before = previous.get(c.name);
  if (stored?.date) results.push(stored);
  else if (before) results.push(before);
}
await writeFile(join(HERE, 'RESULTS.md'), render(results));
console.log(
  `\n${results.map((r) => ('kept' in r ? `${r.check}: kept from RESULTS.md` : summarize(r))).join('\n\n')}\n\nbench/reliability/RESULTS.md written`,
);
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

/** A check's row and section as an earlier RESULTS.md has them. */
interface Kept {
  check: string;
  kept: true;
  row: string;
  section: string;
}

/** The rows and sections of a RESULTS.md, by check. */
function kept(markdown: string): Map<string, Kept> {
  const out = new Map<string, Kept>();
  for (const c of CHECKS) {
    const row = markdown.split('\n').find((l) => l.startsWith(`| ${c.name} |`));
    const start = markdown.indexOf(`\n## ${c.name} — `);
    if (!row || start < 0) continue;
    const next = markdown.indexOf('\n## ', start + 1);
    out.set(c.name, { check: c.name, kept: true, row, section: markdown.slice(start + 1, next < 0 ? undefined : next).trimEnd() });
  }
  return out;
}

function render(rs: (Stored | Kept)[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const section = (r: Stored | Kept) => {
    if ('kept' in r) return r.section;
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
${rs.map((r) => ('kept' in r ? r.row : `| ${r.check} | ${r.pass ? 'pass' : 'FAIL'} | ${r.date.slice(0, 10)}, ${r.seconds.toFixed(0)} s | \`${r.command}\` |`)).join('\n')}

${rs.map(section).join('\n\n')}
`;
}
