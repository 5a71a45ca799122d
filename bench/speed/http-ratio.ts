/**
 * (a) `/api/ask` req/s ÷ `/healthz` req/s on the same server, answer cache off and on: per run and per cache
 * setting a fresh service (SQLite store in a new DATA_DIR), autocannon on `/healthz`, then on `/api/ask`.
 */
import autocannon from 'autocannon';
import { questions } from '../lib/server.js';
import { showSpread, spread } from '../lib/spread.js';
import { type Context, provenance, roundRobin } from './context.js';
import type { Section } from './results.js';
import { dataDirWithCache, removeDir, startService } from './service.js';

const CONNECTIONS = 50;

interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function load(opts: autocannon.Options, seconds: number): Promise<Load> {
  return new Promise((resolve, reject) =>
    autocannon({ ...opts, duration: seconds, connections: CONNECTIONS }, (err, r) =>
      err ? reject(err) : resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors }),
    ),
  );
}

interface Run {
  health: Load;
  ask: Load;
}

async function once(cache: 'off' | 'on', seconds: number, qs: string[], tag: string): Promise<Run> {
  const dataDir = await dataDirWithCache();
  const service = await startService({
    dataDir,
    env: { RATE_LIMIT_MAX: '100000000', ...(cache === 'off' ? { ANSWER_CACHE_MAX: '0' } : {}) },
  });
  try {
    const health = await load({ url: `${service.base}/healthz` }, seconds);
    const next = roundRobin(qs, tag);
    const ask = await load(
      {
        url: `${service.base}/api/ask`,
        requests: [
          {
            method: 'POST',
            path: '/api/ask',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => ({ ...req, body: JSON.stringify(next()) }),
          },
        ],
      },
      seconds,
    );
    return { health, ask };
  } finally {
    await service.stop();
    await removeDir(dataDir);
  }
}

export async function httpRatio(ctx: Context): Promise<Section> {
  const seconds = ctx.quick ? 3 : 10;
  const qs = await questions();
  const runs: Record<'off' | 'on', Run[]> = { off: [], on: [] };
  for (let i = 0; i < ctx.runs; i++) {
    for (const cache of ['off', 'on'] as const) {
      const r = await once(cache, seconds, qs, `a${i}${cache}`);
      runs[cache].push(r);
      ctx.log(
        `  (a) run ${i + 1}, cache ${cache}: healthz ${r.health.rps.toFixed(0)} req/s, ask ${r.ask.rps.toFixed(0)} req/s (p50 ${r.ask.p50} ms, p99 ${r.ask.p99} ms, non-2xx ${r.ask.non2xx}, errors ${r.ask.errors}), ratio ${(r.ask.rps / r.health.rps).toFixed(3)}`,
      );
    }
  }
  const row = (cache: 'off' | 'on', target: string) => {
    const rs = runs[cache];
    const s = (f: (r: Run) => number, d: number) => showSpread(spread(rs.map(f)), d);
    return `| ${cache} | ${s((r) => r.health.rps, 0)} | ${s((r) => r.ask.rps, 0)} | **${s((r) => r.ask.rps / r.health.rps, 3)}** | ${target} | ${s((r) => r.ask.p50, 0)} | ${s((r) => r.ask.p99, 0)} | ${s((r) => r.ask.non2xx + r.ask.errors, 0)} |`;
  };
  return {
    key: 'a',
    markdown: `## (a) \`/api/ask\` ÷ \`/healthz\`, requests per second

${provenance(ctx)}

For each run and each cache setting a fresh service (a new DATA_DIR: SQLite store, its dictionary cache copied in;
RATE_LIMIT_MAX raised), then autocannon with ${CONNECTIONS} connections for ${seconds} s on \`GET /healthz\`, then ${seconds} s on
\`POST /api/ask\`: the own set's ${qs.length} questions (\`test/eval/questions.jsonl\`, every turn) round-robin, each request in
a session of its own (a first turn). Answer cache off: \`ANSWER_CACHE_MAX=0\`; on: the default.

| answer cache | /healthz req/s | /api/ask req/s | **ask ÷ healthz** | target | ask p50 ms | ask p99 ms | ask non-2xx + errors |
|---|---|---|---|---|---|---|---|
${row('off', '≥ 0.5')}
${row('on', '≥ 0.6')}
`,
  };
}
