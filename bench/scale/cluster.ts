/**
 * The instances bench/scale measures: the built service (as `npm start` runs it) on one PostgreSQL schema and one
 * Redis prefix, both fresh for the run and removed at its end, and the development balancer (scripts/balancer.ts)
 * as a process of its own in front of them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ROOT } from '../lib/root.js';
import type { Service } from '../lib/service.js';
import { sleep } from '../reliability/lib/stats.js';
import { dataDirWithCache, removeDir, startService } from '../speed/service.js';

export const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = 'redis://127.0.0.1:6379';

/** An agent of the per-turn measure's queued chats (AGENT_TOKENS). */
export const AGENT = { id: 'bench1', token: 'bench-scale-agent-token-1' };

/** What one run of the bench shares: its schema, its prefix, its session secret. */
export interface Run {
  schema: string;
  prefix: string;
  secret: string;
}

export function newRun(): Run {
  const stamp = `${Date.now()}_${process.pid}`;
  return { schema: `hlbench_${stamp}`, prefix: `hlbench:${stamp}:`, secret: randomBytes(24).toString('hex') };
}

/** An instance, with the DATA_DIR it owns. */
export type Instance = Service & { id: string };

/** One instance of the service on the run's schema and prefix; every question worked out, limits out of the way. */
export async function startInstance(run: Run, id: string, env: Record<string, string> = {}): Promise<Instance> {
  const dataDir = await dataDirWithCache();
  const service = await startService({
    dataDir,
    env: {
      LOG_LEVEL: 'warn',
      DATABASE_URL,
      DATABASE_SCHEMA: run.schema,
      REDIS_URL,
      REDIS_PREFIX: run.prefix,
      INSTANCE_ID: id,
      SESSION_SECRET: run.secret,
      ANSWER_CACHE_MAX: '0',
      RATE_LIMIT_MAX: '100000000',
      WS_RATE_MESSAGES: '100000',
      TRUST_PROXY: '127.0.0.1',
      AGENT_TOKENS: `${AGENT.id}:${AGENT.token}`,
      AGENT_CAPACITY: '1',
      AGENT_RATE_MESSAGES: '100000',
      // A chat queued for the per-turn measure waits through it.
      HANDOFF_WAIT_LIMIT_MS: '3600000',
      // Every citizen here comes from 127.0.0.1.
      HANDOFF_QUEUE_PER_ADDRESS: '1000',
      ...env,
    },
  });
  return Object.assign(service, { id });
}

/** Two instances, started one after the other (migrations take their lock either way). */
export async function startPair(run: Run): Promise<[Instance, Instance]> {
  const a = await startInstance(run, 'app1');
  const b = await startInstance(run, 'app2');
  return [a, b];
}

export async function stopAll(instances: readonly Instance[]): Promise<void> {
  await Promise.all(instances.map((i) => i.stop()));
  await Promise.all(instances.map((i) => removeDir(i.dataDir)));
}

/** `hl_store_statements` of an instance's `/metrics` now. */
export async function statements(instance: Service): Promise<number> {
  const text = await (await fetch(`${instance.base}/metrics`)).text();
  const m = /^hl_store_statements (\d+)/m.exec(text);
  if (!m) throw new Error(`${instance.base}/metrics has no hl_store_statements (not on PostgreSQL?)`);
  return Number(m[1]);
}

/** The balancer, as `npx tsx scripts/balancer.ts` runs it, on a port of its choosing. */
export interface BalancerProcess {
  url: string;
  pid: number;
  /** Its log lines (one per change of an instance's state). */
  log: string[];
  stop(): Promise<void>;
}

export async function startBalancer(upstreams: readonly Instance[]): Promise<BalancerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'scripts', 'balancer.ts'),
      '--port',
      '0',
      ...upstreams.flatMap((u) => ['--upstream', u.base]),
      '--health-interval',
      '1000',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    let rest = '';
    child.stdout?.on('data', (d: Buffer) => {
      const lines = (rest + d.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        log.push(line);
        const m = /balancer listening on (http:\/\/\S+)/.exec(line);
        if (m?.[1]) resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the balancer exited (${code}) before listening:\n${log.join('\n')}`)));
  });
  return {
    url,
    pid: child.pid as number,
    log,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Drops the run's schema and deletes its Redis keys. */
export async function removeRun(run: Run): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${run.schema}" CASCADE`);
  } finally {
    await client.end();
  }
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${run.prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** The user lines of the run's transcript, by session. */
export async function userLines(run: Run): Promise<Map<string, Set<string>>> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ session_id: string; text: string }>(
      `SELECT session_id, text FROM "${run.schema}".transcript WHERE role = 'user'`,
    );
    const by = new Map<string, Set<string>>();
    for (const r of rows) {
      const set = by.get(r.session_id) ?? new Set<string>();
      set.add(r.text);
      by.set(r.session_id, set);
    }
    return by;
  } finally {
    await client.end();
  }
}

export { sleep };
