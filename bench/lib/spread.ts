import { cpus, platform, release, totalmem } from 'node:os';

/** The least, middle and greatest of a figure's runs (each figure of issue 14 is reported this way). */
export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const s = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN };
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { min: s[0] as number, median, max: s.at(-1) as number };
}

/** `min / median / max` with `digits` decimals; `—` for a figure no run produced. */
export function showSpread(s: Spread, digits = 2): string {
  if (!Number.isFinite(s.median)) return '—';
  const f = (n: number) => n.toFixed(digits);
  return `${f(s.min)} / ${f(s.median)} / ${f(s.max)}`;
}

/** The machine as the results files state it. */
export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${platform()} ${release()}, Node ${process.version}`;
}

/** The value of `--name value` among the arguments, or undefined. */
export function argValue(name: string, argv: readonly string[] = process.argv): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
