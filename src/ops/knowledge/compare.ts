import { type EvalItem, judgeTurn, type WireReply } from '../../eval/judge.js';
import type { Ask, Tally } from '../../eval/score.js';

/** How a labelled set fared on one knowledge base. */
export interface EvalSummary {
  items: Tally;
  turns: Tally;
  /** Turns by their first expected reply type, as `npm run eval` counts them. */
  byType: Record<string, Tally>;
}

/** A reply as the comparison shows it. */
export interface ReplyView {
  type: string;
  text: string;
  /** `notice#clause` of every citation, in order. */
  citations: string[];
  pass: boolean;
  /** Why the turn fails (empty when it passes). */
  why: string[];
}

/** A turn whose reply differs between the live and the staged knowledge base. */
export interface ChangedTurn {
  item: string;
  /** 1-based, as `npm run eval` numbers turns. */
  turn: number;
  q: string;
  region?: string;
  before: ReplyView;
  after: ReplyView;
  /** pass → fail is `worse`, fail → pass `better`; a reply that changed but passes or fails as before is `same`. */
  trend: 'worse' | 'better' | 'same';
}

export interface EvalComparison {
  live: EvalSummary;
  staged: EvalSummary;
  changed: ChangedTurn[];
}

export interface CompareOptions {
  /** Session ids are `<prefix>-live-<n>-<item>` and `<prefix>-staged-<n>-<item>`; unique per run by default. */
  sessionPrefix?: string;
  /** Items between two yields to the event loop (a server running this stays responsive). */
  yieldEvery?: number;
}

let runs = 0;

/**
 * Run a labelled set on the live and on the staged knowledge base, turn by turn, one session per item per
 * side (as `score` does), and list every turn whose reply changed: its type, its text or what it cites.
 */
export async function compareEval(
  items: readonly EvalItem[],
  live: Ask,
  staged: Ask,
  options: CompareOptions = {},
): Promise<EvalComparison> {
  const prefix = options.sessionPrefix ?? `ops-compare-${++runs}`;
  const every = Math.max(1, options.yieldEvery ?? 4);
  const out: EvalComparison = { live: emptySummary(items.length), staged: emptySummary(items.length), changed: [] };
  for (const [n, item] of items.entries()) {
    if (n > 0 && n % every === 0) await new Promise(setImmediate);
    let liveOk = true;
    let stagedOk = true;
    for (const [t, turn] of item.turns.entries()) {
      const region = turn.region;
      const before = view(turn, await live(turn.q, `${prefix}-live-${n}-${item.id}`, region));
      const after = view(turn, await staged(turn.q, `${prefix}-staged-${n}-${item.id}`, region));
      const type = turn.expect.type[0] ?? '?';
      tally(out.live, type, before.pass);
      tally(out.staged, type, after.pass);
      liveOk &&= before.pass;
      stagedOk &&= after.pass;
      if (differs(before, after)) {
        const trend = before.pass === after.pass ? 'same' : before.pass ? 'worse' : 'better';
        out.changed.push({ item: item.id, turn: t + 1, q: turn.q, ...(region ? { region } : {}), before, after, trend });
      }
    }
    if (liveOk) out.live.items.pass++;
    if (stagedOk) out.staged.items.pass++;
  }
  return out;
}

/** The share of items passed, 0–1 (1 for an empty set: nothing failed). */
export function passRate(t: Tally): number {
  return t.total === 0 ? 1 : t.pass / t.total;
}

function emptySummary(items: number): EvalSummary {
  return { items: { pass: 0, total: items }, turns: { pass: 0, total: 0 }, byType: {} };
}

function tally(s: EvalSummary, type: string, pass: boolean): void {
  s.turns.total++;
  if (pass) s.turns.pass++;
  s.byType[type] ??= { pass: 0, total: 0 };
  const t = s.byType[type];
  t.total++;
  if (pass) t.pass++;
}

function view(turn: EvalItem['turns'][number], reply: WireReply): ReplyView {
  const why = judgeTurn(turn, reply);
  return {
    type: reply.type,
    text: reply.text,
    citations: reply.citations.map((c) => `${c.notice}#${c.clause}`),
    pass: why.length === 0,
    why,
  };
}

function differs(a: ReplyView, b: ReplyView): boolean {
  return a.type !== b.type || a.text !== b.text || a.citations.join('\n') !== b.citations.join('\n');
}
