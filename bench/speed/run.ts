/**
 * Speed benchmarks of issue 14, written into bench/speed/RESULTS.md (each part by the run that measured it):
 *   a  /api/ask req/s ÷ /healthz req/s, same server, answer cache off and on   (http-ratio.ts)
 *   b  growth: in-process ask p50/p99 at 5, 50, 500, 5,000 notices, two variants (growth.ts, copies.ts)
 *   c  WebSocket: 5,000 sockets, 1,000 msg/s for 20 s, cache off                (ws.ts)
 *   d  cold start: spawn → first /healthz 200, empty and warm DATA_DIR           (cold-start.ts)
 *   e  RSS when ready and after 1,000 varied questions                           (rss.ts)
 * Needs `npm run build` (dist/). One heavy part at a time: they run in turn.
 *
 *   tsx bench/speed/run.ts [--only a,b,…] [--runs 3] [--quick]   (--quick: 1 run, shorter, prints only)
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../lib/server.js';
import { argValue } from '../lib/spread.js';
import { coldStart } from './cold-start.js';
import type { Context } from './context.js';
import { growth } from './growth.js';
import { httpRatio } from './http-ratio.js';
import { type Section, writeSections } from './results.js';
import { rss } from './rss.js';
import { webSocket } from './ws.js';

const PARTS: Record<string, (ctx: Context) => Promise<Section>> = {
  a: httpRatio,
  b: growth,
  c: webSocket,
  d: coldStart,
  e: rss,
};

const quick = process.argv.includes('--quick');
const only = (argValue('only') ?? Object.keys(PARTS).join(',')).split(',').map((s) => s.trim());
const unknown = only.filter((k) => !(k in PARTS));
if (unknown.length > 0) {
  console.error(`unknown part(s) ${unknown.join(', ')}; the parts are ${Object.keys(PARTS).join(', ')}`);
  process.exit(2);
}
const ctx: Context = {
  runs: Number(argValue('runs') ?? (quick ? 1 : 3)),
  quick,
  command: `tsx bench/speed/run.ts ${process.argv.slice(2).join(' ')}`.trim(),
  log: (line) => console.log(line),
  began: { at: new Date(), load: 0 },
};

const sections: Section[] = [];
for (const key of only) {
  const t0 = performance.now();
  ctx.began = { at: new Date(), load: loadavg()[0] ?? 0 };
  console.log(`(${key}) …`);
  const section = await (PARTS[key] as (c: Context) => Promise<Section>)(ctx);
  sections.push(section);
  console.log(`\n${section.markdown}\n(${key}) took ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
}
if (quick) console.log('(--quick: RESULTS.md not written)');
else {
  await writeSections(join(ROOT, 'bench', 'speed', 'RESULTS.md'), Object.keys(PARTS), sections);
  console.log(`wrote bench/speed/RESULTS.md (${only.join(', ')})`);
}
process.exit(0);
