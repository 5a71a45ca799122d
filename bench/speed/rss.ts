/**
 * (e) Resident memory (VmRSS from /proc) of the service when ready (first `/healthz` 200) and after 1,000
 * varied questions over HTTP: the own set's questions in turn, each pass with another lead-in so every text
 * differs, each in a session of its own, eight at a time; the answer cache on (the default).
 */
import { questions } from '../lib/server.js';
import { showSpread, spread } from '../lib/spread.js';
import { type Context, provenance } from './context.js';
import type { Section } from './results.js';
import { dataDirWithCache, removeDir, startScript, startService } from './service.js';

const QUESTIONS = 1000;
const CONCURRENCY = 8;
/** Lead-ins that make each pass over the own set new text (the first pass as written). */
const LEAD_INS = ['', '请问', '你好，', '麻烦问一下，', '我想咨询：', '打扰一下，'];

export async function rss(ctx: Context): Promise<Section> {
  const qs = await questions();
  const texts = Array.from({ length: QUESTIONS }, (_, i) => `${LEAD_INS[Math.floor(i / qs.length) % LEAD_INS.length]}${qs[i % qs.length]}`);
  const ready: number[] = [];
  const after: number[] = [];
  const failed: number[] = [];
  for (let r = 0; r < ctx.runs; r++) {
    const dataDir = await dataDirWithCache();
    const service = await startService({ dataDir, env: { RATE_LIMIT_MAX: '100000000' } });
    try {
      ready.push(await service.rssMb());
      let next = 0;
      let bad = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let i = next++; i < texts.length; i = next++) {
            const res = await fetch(`${service.base}/api/ask`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ text: texts[i], sessionId: `rss-${r}-${i}` }),
            });
            if (res.status !== 200) bad++;
            await res.arrayBuffer();
          }
        }),
      );
      after.push(await service.rssMb());
      failed.push(bad);
    } finally {
      await service.stop();
      await removeDir(dataDir);
    }
    ctx.log(
      `  (e) run ${r + 1}: RSS ready ${ready.at(-1)?.toFixed(0)} MB, after ${QUESTIONS} questions ${after.at(-1)?.toFixed(0)} MB (${failed.at(-1)} not 200)`,
    );
  }
  return {
    key: 'e',
    markdown: `## (e) Resident memory

${provenance(ctx)}

VmRSS of the service as \`npm start\` runs it (\`${startScript()}\`; the server's defaults, the five notices; RATE_LIMIT_MAX raised; a fresh DATA_DIR with the
build cache a previous start made copied in: a restart) at its first \`/healthz\` 200, and after ${QUESTIONS.toLocaleString('en')} questions over \`POST /api/ask\`
(${CONCURRENCY} at a time): the own set's ${qs.length} questions in turn, each pass with another lead-in (${LEAD_INS.slice(1).join(' ')}) so no
two texts are the same, each in a session of its own.

| when | MB, min / median / max of ${ctx.runs} runs | target |
|---|---|---|
| ready | **${showSpread(spread(ready), 0)}** | ≤ 120 |
| after ${QUESTIONS.toLocaleString('en')} questions | **${showSpread(spread(after), 0)}** | ≤ 150 |
| (answers not 200) | ${showSpread(spread(failed), 0)} | |
`,
  };
}
