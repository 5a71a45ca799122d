/**
 * `npm run eval -- FILE.jsonl [--notices DIR]… [--http BASE] [--quiet]`: run labelled conversations through
 * the assistant (in-process, or through a running server's POST /api/ask) and print pass rates overall,
 * per expected reply type and per tag, with every failure and why. `--notices DIR` drops that folder's
 * notices into a throwaway copy of the knowledge base first (a set over other notices, no code change).
 */
import { parseArgs } from 'node:util';
import { buildAssistant } from '../app.js';
import { loadConfig } from '../config.js';
import type { WireReply } from '../eval/judge.js';
import { knowledgeWith } from '../eval/knowledge-copy.js';
import { type Ask, formatScore, readItems, score } from '../eval/score.js';
import { buildFromDir } from '../kb/load.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    http: { type: 'string' },
    notices: { type: 'string', multiple: true, default: [] },
    quiet: { type: 'boolean', default: false },
  },
});
const file = positionals[0];
if (!file) {
  process.stderr.write('usage: npm run eval -- FILE.jsonl [--notices DIR] [--http BASE] [--quiet]\n');
  process.exit(2);
}
const items = await readItems(file);

let ask: Ask;
let cleanup = async () => {};
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
  let dir = config.knowledgeDir;
  if (values.notices.length > 0) {
    const copy = await knowledgeWith(config.knowledgeDir, values.notices);
    dir = copy.dir;
    cleanup = copy.remove;
  }
  const kb = await buildFromDir(dir);
  const assistant = await buildAssistant({ ...config, answerCache: { max: 0, ttlMs: 1000, maxBytes: 0 } });
  ask = (text, sessionId, region) => assistant.ask(kb, { text, sessionId, ...(region ? { region } : {}) });
}

const s = await score(items, ask);
await cleanup();
if (!values.quiet) for (const f of s.failures) process.stdout.write(`${f}\n`);
process.stdout.write(`\n${formatScore(s, `${file}${values.http ? ` via ${values.http}` : ' (in-process)'}`)}`);
