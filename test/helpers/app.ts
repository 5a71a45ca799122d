import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { buildApp, buildAssistant } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import type { KnowledgeBase } from '../../src/kb/knowledge-base.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { projectKnowledge } from './knowledge.js';

const open: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

/**
 * An app on the project's knowledge (or a given loader), closed after each test; no port is opened. With
 * `log`, its log lines (info and above) are collected there.
 */
export async function build(
  env: Record<string, string> = {},
  load: () => Promise<KnowledgeBase> = projectKnowledge,
  { awaitLoad = true, log }: { awaitLoad?: boolean; log?: string[] } = {},
): Promise<{ app: FastifyInstance; knowledge: KnowledgeStore; config: Readonly<Config> }> {
  const config = loadConfig(env);
  const knowledge = new KnowledgeStore(load);
  const loading = knowledge.reload();
  if (awaitLoad) await loading;
  const logger = log ? { level: 'info', stream: { write: (line: string) => void log.push(line) } } : false;
  const app = await buildApp({ config, knowledge, assistant: await buildAssistant(config), logger });
  open.push(app);
  return { app, knowledge, config };
}
