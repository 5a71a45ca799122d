/**
 * `npm run eval -- FILE.jsonl [--http BASE] [--quiet]`: run labelled conversations through the assistant
 * (in-process, or through a running server's POST /api/ask) and print pass rates overall, per expected
 * reply type and per tag, with every failure and why.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildAssistant } from '../app.js';
import { loadConfig } from '../config.js';
import { type EvalItem, judgeTurn, type WireReply } from '../eval/judge.js';
import { buildFromDir } from '../kb/load.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { http: { type: 'string' }, quiet: { type: 'boolean', default: false } },
});
const file = positionals[0];
if (!file) {
  process.stderr.write('usage: npm run eval -- FILE.jsonl [--http BASE]\n');
  process.exit(2);
}
const items: EvalItem[] = (await readFile(file, 'utf8'))
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l));

let ask: (text: string, sessionId: string, region?: string) => Promise<WireReply>;
if (values.http) {
  const base = values.http.replace(/\/$/, '');
  ask = async (text, sessionId, region) => {
    const res = await fetch(`${base}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, sessionId, ...(region ? { region } : {}) }),
    });
    return (await res.json()) as WireReply;
  };
} else {
  const config = loadConfig();
  const kb = await buildFromDir(config.knowledgeDir);
  const assistant = await buildAssistant(config);
  ask = async (text, sessionId, region) => assistant.ask(kb, { text, sessionId, ...(region ? { region } : {}) });
}

const byType = new Map<string, { pass: number; total: number }>();
const byTag = new Map<string, { pass: number; total: number }>();
const count = (m: Map<string, { pass: number; total: number }>, k: string, ok: boolean) => {
  const c = m.get(k) ?? { pass: 0, total: 0 };
  c.total++;
  if (ok) c.pass++;
  m.set(k, c);
};
let passed = 0;
let turnsPassed = 0;
let turns = 0;
let outOfScopeAnswered = 0;
let ungrounded = 0;
const failures: string[] = [];
for (const [n, item] of items.entries()) {
  const sessionId = `eval-${n}-${item.id}`;
  let ok = true;
  for (const [t, turn] of item.turns.entries()) {
    const reply = await ask(turn.q, sessionId, turn.region);
    const why = judgeTurn(turn, reply);
    const good = why.length === 0;
    turns++;
    if (good) turnsPassed++;
    count(byType, turn.expect.type[0] ?? '?', good);
    if (turn.expect.type.includes('fallback') && reply.type === 'answer') outOfScopeAnswered++;
    if (why.some((w) => w.startsWith('ungrounded'))) ungrounded++;
    if (!good) {
      ok = false;
      failures.push(
        `✗ ${item.id}#${t + 1} [${(item.tags ?? []).join(',')}] ${turn.region ? `(region ${turn.region}) ` : ''}${turn.q}\n    ${why.join('; ')}\n    → ${reply.type} ${reply.intent ?? ''}: ${reply.text.replace(/\n/g, ' ').slice(0, 160)}`,
      );
    }
  }
  if (ok) passed++;
  for (const tag of item.tags ?? []) count(byTag, tag, ok);
}

const pct = (p: number, t: number) => `${((100 * p) / Math.max(1, t)).toFixed(1)}%`;
if (!values.quiet) for (const f of failures) process.stdout.write(`${f}\n`);
process.stdout.write(`\n${file}${values.http ? ` via ${values.http}` : ' (in-process)'}\n`);
process.stdout.write(
  `items  ${passed}/${items.length} passed (${pct(passed, items.length)}); turns ${turnsPassed}/${turns} (${pct(turnsPassed, turns)})\n`,
);
process.stdout.write('by expected type (turns):\n');
for (const [k, c] of [...byType].sort()) process.stdout.write(`  ${k.padEnd(9)} ${c.pass}/${c.total} ${pct(c.pass, c.total)}\n`);
process.stdout.write('by tag (items):\n');
for (const [k, c] of [...byTag].sort((a, b) => a[0].localeCompare(b[0])))
  process.stdout.write(`  ${k.padEnd(22)} ${c.pass}/${c.total} ${pct(c.pass, c.total)}\n`);
process.stdout.write(`out-of-scope answered as answer: ${outOfScopeAnswered}; answers with ungrounded numbers: ${ungrounded}\n`);
