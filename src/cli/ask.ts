/**
 * `npm run ask -- "问题" ["下一句" …] [--region 包头] [--explain] [--notices DIR] [--json]`: ask the assistant in
 * the terminal, one session for all the questions given; `--explain` prints how each reply was reached
 * (words, intents, places and region, the query, the top hits, the rule that fired and its thresholds, the
 * grounding check).
 */
import { parseArgs } from 'node:util';
import { buildAssistant } from '../app.js';
import { loadConfig } from '../config.js';
import type { Trace } from '../dialogue/types.js';
import { knowledgeWith } from '../eval/knowledge-copy.js';
import { buildFromDir } from '../kb/load.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    region: { type: 'string' },
    explain: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    notices: { type: 'string', multiple: true, default: [] },
  },
});
if (positionals.length === 0) {
  process.stderr.write('usage: npm run ask -- "问题" ["下一句" …] [--region 城市] [--explain] [--notices DIR] [--json]\n');
  process.exit(2);
}

const config = loadConfig();
const copy = values.notices.length > 0 ? await knowledgeWith(config.knowledgeDir, values.notices) : null;
const kb = await buildFromDir(copy?.dir ?? config.knowledgeDir);
const assistant = await buildAssistant({ ...config, answerCache: { max: 0, ttlMs: 1000, maxBytes: 0 } });
const sessionId = 'cli';
for (const text of positionals) {
  const { reply, trace } = assistant.explain(kb, { text, sessionId, ...(values.region ? { region: values.region } : {}) });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(values.explain ? { reply, trace } : reply, null, 2)}\n`);
    continue;
  }
  process.stdout.write(`\n> ${text}\n[${reply.type} · ${reply.intent} · ${reply.confidence}]\n${reply.text}\n`);
  for (const c of reply.citations) process.stdout.write(`  ↳ ${c.url}  “${c.quote.slice(0, 60)}${c.quote.length > 60 ? '…' : ''}”\n`);
  if (reply.suggestions.length > 0) process.stdout.write(`  chips: ${reply.suggestions.join(' | ')}\n`);
  if (values.explain) process.stdout.write(formatTrace(trace));
}
await copy?.remove();

function formatTrace(t: Trace): string {
  const where = t.location.place ? `${t.location.place} (${t.location.source})` : `unknown (${t.location.source})`;
  const lines = [
    '  ── explain',
    `  words     ${t.words.join(' ')}`,
    `  intents   ${t.intents.map((i) => `${i.intent} ${i.p.toFixed(2)}`).join(', ') || '—'}`,
    `  asks      ${[...t.asks, ...t.meta.map((m) => `meta.${m}`)].join(', ') || '—'}`,
    `  places    ${t.places.map((p) => `${p.form}→${p.name}${p.elsewhere ? ' (elsewhere)' : ''}${p.candidates.length > 1 ? ` [${p.candidates.join('/')}]` : ''}`).join(', ') || '—'}`,
    `  region    ${where}; scopes ${t.location.scopes.join(' > ') || '—'}${t.location.unserved ? ' (no notice covers it)' : ''}${t.location.local.length ? `; picks rows naming ${t.location.local.join('/')}` : ''}`,
    `  query     ${t.query.words.map((w) => `${w.term}${w.weight === 1 ? '' : `×${w.weight}`}${w.cover === 1 ? '' : `/${w.cover}`}`).join(' ')}${t.followUp ? ' [follow-up]' : ''}`,
    `  bigrams   ${t.query.grams.map((g) => `${g.term}${g.cover === 1 ? '' : `/${g.cover}`}`).join(' ')}`,
    '  hits',
    ...t.hits.map(
      (h) =>
        `    ${h.score.toFixed(2).padStart(6)}  conf ${h.confidence.toFixed(2)}  ${h.notice}#${h.clause} [${h.region ?? '—'}]  ${h.text}`,
    ),
    `  rule      ${t.rule}`,
    `  grounding ${t.grounding.ok ? 'ok' : `ungrounded ${t.grounding.ungrounded.join(',')} → ${t.grounding.action}`}`,
    `  thresholds ${Object.entries(t.thresholds)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  ];
  return `${lines.join('\n')}\n`;
}
