import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, serverCommand } from '../lib/server.js';

/** package.json's start script, as a results file states it. */
export function startScript(): string {
  const { env, args } = serverCommand();
  return [...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'node', ...args.slice(0, -1), 'dist/server.js'].join(' ');
}

/** The built service (`node dist/server.js`, with `npm start`'s flags) on a port chosen here, so readiness is polled from the spawn on. */
export interface Service {
  child: ChildProcess;
  base: string;
  port: number;
  /** Spawn → first `/healthz` 200, ms. */
  readyMs: number;
  rssMb(): Promise<number>;
  stop(): Promise<void>;
}

/** A free loopback TCP port (bound, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** The status of one `GET /healthz`, or 0 when nothing answered. */
function health(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * Spawns the service with the server's defaults and `env` on top, and polls `/healthz` every `pollMs` from the
 * spawn until it answers 200. Its log (stdout) goes nowhere; stderr is this process's.
 */
export async function startService(options: { dataDir: string; env?: Record<string, string>; pollMs?: number }): Promise<Service> {
  const port = await freePort();
  const pollMs = options.pollMs ?? 5;
  const t0 = performance.now();
  const command = serverCommand();
  const child = spawn(process.execPath, command.args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...command.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: options.dataDir, ...options.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  const deadline = t0 + 60_000;
  let readyMs = 0;
  while (!readyMs) {
    if (exited !== null) throw new Error(`the service exited (${exited}) before /healthz answered 200`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the service did not become healthy within 60 s');
    }
    if ((await health(port)) === 200) readyMs = performance.now() - t0;
    else await new Promise((r) => setTimeout(r, pollMs));
  }
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    port,
    readyMs,
    async rssMb() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    async stop() {
      if (exited !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** An empty DATA_DIR (the service builds its slimmed jieba dictionaries, store and secret in it). */
export function emptyDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'hl-speed-data-'));
}

/** One template per checkout: worktrees on one machine would otherwise remake it for each other's builds, and hand each other caches their code cannot read. */
const TEMPLATE = join(tmpdir(), `hl-speed-template-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`);

/**
 * A DATA_DIR with no store yet but the build cache a previous start made (dictionaries, places, notices, NLU; copied from a template the
 * first call warms), so a measurement of traffic does not pay for building it.
 */
export async function dataDirWithCache(): Promise<string> {
  // The template's cache is made by the service as built now: a build newer than it makes it again (the cache's
  // entries are keyed by the code, so an older template would only be rebuilt at every start).
  const made = await stat(join(TEMPLATE, 'cache')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  const built = await stat(join(ROOT, 'dist', 'server.js')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  if (made === 0 || built > made) {
    await rm(TEMPLATE, { recursive: true, force: true });
    const service = await startService({ dataDir: TEMPLATE, env: { LOG_LEVEL: 'warn' } });
    await service.stop();
  }
  const dir = await emptyDataDir();
  await cp(join(TEMPLATE, 'cache'), join(dir, 'cache'), { recursive: true });
  return dir;
}

export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}
