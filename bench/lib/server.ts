import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './root.js';
import { type Service, spawnService } from './service.js';

export { ROOT };

/**
 * The built service (`node dist/server.js`) on a free loopback port, with the given extra environment, LOG_LEVEL warn
 * and the benches' shared DATA_DIR; its log goes nowhere, its stderr is this process's.
 */
export function startServer(env: Record<string, string> = {}): Promise<Service> {
  return spawnService({ dataDir: join(tmpdir(), 'hl-bench-data'), env: { LOG_LEVEL: 'warn', ...env }, output: 'quiet' });
}

export async function questions(): Promise<string[]> {
  return (await readFile(join(ROOT, 'test', 'eval', 'questions.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => (JSON.parse(l) as { turns: { q: string }[] }).turns.map((t) => t.q));
}
