import { createHash } from 'node:crypto';
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../lib/root.js';
import { type Service, serverCommand, spawnService } from '../lib/service.js';

export { removeDir } from '../lib/service.js';

/** package.json's start script, as a results file states it. */
export function startScript(): string {
  const { env, args } = serverCommand();
  return [...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'node', ...args.slice(0, -1), 'dist/server.js'].join(' ');
}

/**
 * The built service (`node dist/server.js`, with `npm start`'s flags and environment) with the server's defaults (LOG_LEVEL too) and `env` on top, on a port
 * chosen here, so readiness is polled from the spawn on: `GET /healthz` every `pollMs` until it answers 200 (`readyMs`).
 * Its log (stdout) goes nowhere; stderr is this process's.
 */
export function startService(options: { dataDir: string; env?: Record<string, string>; pollMs?: number }): Promise<Service> {
  return spawnService({ ...options, ready: 'healthz', output: 'quiet' });
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
