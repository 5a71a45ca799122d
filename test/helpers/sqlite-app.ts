import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, buildAssistant } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { coalescing, SqliteStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { afterTest } from './cleanup.js';
import { projectKnowledge } from './knowledge.js';

/** A SQLite store in a fresh temp folder; closed and the folder removed after the test. */
export function sqliteStore(): SqliteStore {
  const dir = mkdtempSync(join(tmpdir(), 'hl-sqlite-app-'));
  const raw = new SqliteStore({ dataDir: dir });
  afterTest(() => rmSync(dir, { recursive: true, force: true }));
  afterTest(() => raw.close());
  return raw;
}

/**
 * The app on `store` (the SQLite store, or a layer over it) as the server wires it: the store coalesced, dialogue
 * states in the same store (each turn writes its own, in its unit), the project's knowledge; ready, and closed after
 * the test (before its store).
 */
export async function appOn(store: Store, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config = loadConfig(env);
  const coalesced = coalescing(store);
  const knowledge = new KnowledgeStore(projectKnowledge);
  await knowledge.reload();
  const app = await buildApp({
    config,
    knowledge,
    assistant: await buildAssistant(config),
    store: coalesced,
  });
  await app.ready();
  afterTest(() => app.close());
  return app;
}
