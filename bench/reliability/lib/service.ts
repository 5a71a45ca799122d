import { cp, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Entry, type Service, type ServiceOptions, spawnService } from '../../lib/service.js';

export { removeDir } from '../../lib/service.js';
export type { Entry, Service };

/** jieba's slimmed dictionaries, written into DATA_DIR/cache on a first start (≈3.5 s); shared between throwaway dirs. */
const SHARED_CACHE = join(tmpdir(), 'hl-reliability-cache');

/** A fresh DATA_DIR under the system temp folder, with the dictionary cache of an earlier run when there is one. */
export async function throwawayDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `hl-rel-${prefix}-`));
  if (await exists(SHARED_CACHE)) await cp(SHARED_CACHE, join(dir, 'cache'), { recursive: true }).catch(() => undefined);
  return dir;
}

/**
 * The service as its own process, for the checks that watch it from outside: the built `dist/server.js` (benches,
 * after `npm run build`) or `src/server.ts` through tsx (the short checks in `npm test`, which has no build step).
 * LOG_LEVEL warn unless `env` says otherwise; its log is read for error lines and kept in a short tail for a crash
 * report. The dictionary cache it writes is kept for the next throwaway dir.
 */
export async function startService(options: Pick<ServiceOptions, 'entry' | 'env' | 'dataDir'>): Promise<Service> {
  const service = await spawnService({ ...options, env: { LOG_LEVEL: 'warn', ...options.env } });
  void shareCache(options.dataDir);
  return service;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Keeps the dictionary cache a service wrote for the next throwaway dir (copied aside, then renamed: never half there). */
async function shareCache(dataDir: string): Promise<void> {
  if ((await exists(SHARED_CACHE)) || !(await exists(join(dataDir, 'cache')))) return;
  const partial = `${SHARED_CACHE}.${process.pid}`;
  try {
    await cp(join(dataDir, 'cache'), partial, { recursive: true });
    await rename(partial, SHARED_CACHE);
  } catch {
    await rm(partial, { recursive: true, force: true });
  }
}
