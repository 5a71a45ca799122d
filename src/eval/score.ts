import { readFile } from 'node:fs/promises';
import { type EvalItem, judgeTurn, type WireReply } from './judge.js';

export type Ask = (text: string, sessionId: string, region?: string) => Promise<WireReply> | WireReply;

export interface Tally {
  pass: number;
  total: number;
}

/** How a labelled set fared: items and turns passed, per expected type and per tag, and every failure. */
export interface Score {
  items: Tally;
  turns: Tally;
  byType: Map<string, Tally>;
  byTag: Map<string, Tally>;
  /** Out-of-scope questions given an `answer`. */
  outOfScopeAnswered: number;
  /** Answers with a figure no citation holds. */
  ungrounded: number;
  /** Answers given where a clarify, handoff or fallback was expected: the costly mistake. */
  wrongAnswers: number;
  failures: string[];
  /** Passed item ids. */
  passed: Set<string>;
}

/** Read a labelled file (shared/eval/README.md format). */
export async function readItems(file: string): Promise<EvalItem[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as EvalItem);
}

function count(m: Map<string, Tally>, k: string, ok: boolean): void {
  const c = m.get(k) ?? { pass: 0, total: 0 };
  c.total++;
  if (ok) c.pass++;
  m.set(k, c);
}

/** Run every conversation (one session each) and judge every turn. */
export async function score(items: readonly EvalItem[], ask: Ask, sessionPrefix = 'eval'): Promise<Score> {
  const s: Score = {
    items: { pass: 0, total: items.length },
    turns: { pass: 0, total: 0 },
    byType: new Map(),
    byTag: new Map(),
    outOfScopeAnswered: 0,
    ungrounded: 0,
    wrongAnswers: 0,
    failures: [],
    passed: new Set(),
  };
  for (const [n, item] of items.entries()) {
    const sessionId = `${sessionPrefix}-${n}-${item.id}`;
    let ok = true;
    for (const [t, turn] of item.turns.entries()) {
      const reply = await ask(turn.q, sessionId, turn.region);
      const why = judgeTurn(turn, reply);
      const good = why.length === 0;
      s.turns.total++;
      if (good) s.turns.pass++;
      count(s.byType, turn.expect.type[0] ?? '?', good);
      if (turn.expect.type.includes('fallback') && reply.type === 'answer') s.outOfScopeAnswered++;
      if (!turn.expect.type.includes('answer') && reply.type === 'answer') s.wrongAnswers++;
      if (why.some((w) => w.startsWith('ungrounded'))) s.ungrounded++;
      if (!good) {
        ok = false;
        s.failures.push(
          `✗ ${item.id}#${t + 1} [${(item.tags ?? []).join(',')}] ${turn.region ? `(region ${turn.region}) ` : ''}${turn.q}\n    ${why.join('; ')}\n    → ${reply.type} ${reply.intent ?? ''}: ${reply.text.replace(/\n/g, ' ').slice(0, 160)}`,
        );
      }
    }
    if (ok) {
      s.items.pass++;
      s.passed.add(item.id);
    }
    for (const tag of item.tags ?? []) count(s.byTag, tag, ok);
  }
  return s;
}

const pct = (t: Tally) => `${((100 * t.pass) / Math.max(1, t.total)).toFixed(1)}%`;

/** The summary the eval command prints. */
export function formatScore(s: Score, title: string): string {
  const lines = [
    title,
    `items  ${s.items.pass}/${s.items.total} passed (${pct(s.items)}); turns ${s.turns.pass}/${s.turns.total} (${pct(s.turns)})`,
    'by expected type (turns):',
    ...[...s.byType].sort().map(([k, c]) => `  ${k.padEnd(9)} ${c.pass}/${c.total} ${pct(c)}`),
    'by tag (items):',
    ...[...s.byTag].sort((a, b) => a[0].localeCompare(b[0])).map(([k, c]) => `  ${k.padEnd(22)} ${c.pass}/${c.total} ${pct(c)}`),
    `out-of-scope answered as answer: ${s.outOfScopeAnswered}; answers with ungrounded numbers: ${s.ungrounded}; answers where none was expected: ${s.wrongAnswers}`,
  ];
  return `${lines.join('\n')}\n`;
}
