import { machine } from '../lib/spread.js';

/** What every sub-measure is told: how many runs, whether a quick smoke, and how to say where it ran. */
export interface Context {
  runs: number;
  quick: boolean;
  /** The command as it was typed, for the results. */
  command: string;
  log: (line: string) => void;
  /** When the part now running began, and the load average then (set by run.ts before each part). */
  began: { at: Date; load: number };
}

/** The line under a part's heading: when, where and how it was measured. */
export function provenance(ctx: Context): string {
  return `Measured ${ctx.began.at.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}; \`${ctx.command}\`; ${ctx.runs} run${ctx.runs === 1 ? '' : 's'}; load average when the part began ${ctx.began.load.toFixed(2)} (other work on the machine shows here).`;
}

/** Texts and session ids for load: the own set's questions in turn, every request its own session. */
export function roundRobin(qs: readonly string[], prefix: string) {
  let n = 0;
  return () => {
    const i = n++;
    return { text: qs[i % qs.length] as string, sessionId: `${prefix}-${i}` };
  };
}
