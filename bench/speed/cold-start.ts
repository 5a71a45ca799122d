/**
 * (d) Cold start: spawn `node dist/server.js` → first `/healthz` 200, polled every 5 ms from the spawn on;
 * with an empty DATA_DIR (the first start: dictionaries slimmed, store created) and with the DATA_DIR that
 * start left behind (a restart).
 */
import { showSpread, spread } from '../lib/spread.js';
import { type Context, provenance } from './context.js';
import type { Section } from './results.js';
import { emptyDataDir, removeDir, startScript, startService } from './service.js';

const POLL_MS = 5;

export async function coldStart(ctx: Context): Promise<Section> {
  const fresh: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    const dataDir = await emptyDataDir();
    try {
      for (const into of [fresh, warm]) {
        const service = await startService({ dataDir, pollMs: POLL_MS });
        into.push(service.readyMs);
        await service.stop();
      }
    } finally {
      await removeDir(dataDir);
    }
    ctx.log(`  (d) run ${i + 1}: empty DATA_DIR ${fresh.at(-1)?.toFixed(0)} ms, warm DATA_DIR ${warm.at(-1)?.toFixed(0)} ms`);
  }
  return {
    key: 'd',
    markdown: `## (d) Cold start: spawn → first \`/healthz\` 200

${provenance(ctx)}

The service spawned as \`npm start\` runs it (\`${startScript()}\`) with the server's defaults (its own port given), \`GET /healthz\` tried every ${POLL_MS} ms from the
spawn on (a fresh connection each), time to the first 200. Per run: once with an empty DATA_DIR, then once more with
the DATA_DIR that start left (its dictionary cache, store and secret): a restart.

| DATA_DIR | ms, min / median / max of ${ctx.runs} runs | target |
|---|---|---|
| empty (first start) | ${showSpread(spread(fresh), 0)} | |
| warm (restart) | **${showSpread(spread(warm), 0)}** | < 800 |
`,
  };
}
