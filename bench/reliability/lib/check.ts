import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export type Figure = number | string | boolean | null;

/**
 * What every check returns: the sizes it ran with, its figures, whether it passed and, when it did not,
 * why (one sentence per failed condition), with the first failing examples.
 */
export interface CheckResult<F extends Record<string, Figure> = Record<string, Figure>> {
  check: string;
  pass: boolean;
  reasons: string[];
  sizes: Record<string, Figure>;
  figures: F;
  /** The first failing examples, deduplicated (e.g. by route and status). */
  examples: string[];
  /** Samples over time (the soak's RSS), for the results document. */
  series?: { label: string; columns: string[]; rows: Figure[][] };
  seconds: number;
}

/** `--name value` and `--flag` arguments as a map (values as given). */
export function parseArgs(argv: readonly string[] = process.argv.slice(2)): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) args.set(a.slice(2), 'true');
    else {
      args.set(a.slice(2), next);
      i++;
    }
  }
  return args;
}

export function numberArg(args: Map<string, string>, name: string, fallback: number): number {
  const v = args.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, not ${v}`);
  return n;
}

/** True when the module at `url` is the script node was started with (not imported by a test or run.ts). */
export function isMain(url: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(resolve(script)).href === url;
}

/**
 * Runs a check as a script: prints its figures and verdict, writes the result as JSON to `--out` when
 * given (run.ts reads it), exits 1 when it failed.
 */
export async function runAsScript(run: (args: Map<string, string>) => Promise<CheckResult>): Promise<void> {
  const args = parseArgs();
  const result = await run(args);
  console.log(summarize(result));
  const out = args.get('out');
  if (out) await writeFile(out, JSON.stringify(result, null, 2));
  process.exitCode = result.pass ? 0 : 1;
}

/** The result as a few lines of text. */
export function summarize(r: CheckResult): string {
  const figures = Object.entries(r.figures)
    .map(([k, v]) => `${k}=${format(v)}`)
    .join(', ');
  const sizes = Object.entries(r.sizes)
    .map(([k, v]) => `${k}=${format(v)}`)
    .join(', ');
  return [
    `${r.check}: ${r.pass ? 'PASS' : 'FAIL'} in ${r.seconds.toFixed(1)} s (${sizes})`,
    `  ${figures}`,
    ...r.reasons.map((reason) => `  ✗ ${reason}`),
    ...r.examples.map((e) => `  · ${e}`),
  ].join('\n');
}

export function format(v: Figure): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1);
  return String(v);
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, Node ${process.version}`;
}

/**
 * Keeps the first example per key (e.g. `uncoded POST /api/ask → 400`), at most `perGroup` per group (the
 * same fault on another route: `Client Error`) and `total` overall.
 */
export class Examples {
  private readonly keys = new Set<string>();
  private readonly groups = new Map<string, number>();
  readonly list: string[] = [];

  constructor(
    private readonly total = 24,
    private readonly perGroup = 2,
  ) {}

  add(key: string, text: () => string, group = key): void {
    if (this.keys.has(key) || this.list.length >= this.total) return;
    this.keys.add(key);
    const n = this.groups.get(group) ?? 0;
    this.groups.set(group, n + 1);
    if (n < this.perGroup) this.list.push(`${key}: ${text()}`);
  }
}
