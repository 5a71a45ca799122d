/**
 * `npm run kb [-- --dir knowledge] [--json] [--out FILE]`: build the knowledge base, print the report per
 * notice, write the build (default knowledge/build/kb.json). Exit code 1 when a notice could not be read.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildFromDir } from '../kb/load.js';
import { buildReport, formatReport } from '../kb/report.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: 'knowledge' },
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

const dir = values.dir ?? 'knowledge';
const started = performance.now();
const kb = await buildFromDir(dir);
const ms = performance.now() - started;
const report = buildReport(kb);
const out = values.out ?? join(dir, 'build', 'kb.json');
await mkdir(dirname(out), { recursive: true });
await writeFile(out, JSON.stringify({ report, notices: kb.notices }, null, 1));

if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
else process.stdout.write(`${formatReport(report)}\nbuilt in ${ms.toFixed(0)} ms → ${out}\n`);
process.exitCode = kb.skipped.length > 0 ? 1 : 0;
