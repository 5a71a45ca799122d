/**
 * The app with the operators' desk on (issue 16): an operator signed in, a folder of its own for the desk, and the
 * knowledge either the project's as loaded once (`copy: false`) or a copy of the knowledge folder the desk may
 * publish into (`copy: true`). Closed and removed after each test.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildFromDir } from '../../src/kb/load.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { MemoryStore } from '../../src/store/memory.js';
import { projectAssistant } from './assistant.js';
import { KNOWLEDGE_DIR, projectKnowledge, ROOT } from './knowledge.js';

export const OPERATOR = 'op-token-0123456789abcdef';
export const AGENT = 'agent-token-0123456789abc';

const dirs: string[] = [];
const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

export async function opsApp(env: Record<string, string> = {}, { copy = false }: { copy?: boolean } = {}) {
  const root = await mkdtemp(join(tmpdir(), 'hl-ops-'));
  dirs.push(root);
  const knowledgeDir = join(root, 'knowledge');
  if (copy) await cp(KNOWLEDGE_DIR, knowledgeDir, { recursive: true, filter: (src) => !src.startsWith(join(KNOWLEDGE_DIR, 'build')) });
  const config = loadConfig({
    OPERATOR_TOKENS: `wang=王工:${OPERATOR}`,
    AGENT_TOKENS: `alice:${AGENT}`,
    OPS_DIR: join(root, 'ops'),
    OPS_EVAL_FILES: join(ROOT, 'test', 'eval', 'questions.jsonl'),
    ...(copy ? { KNOWLEDGE_DIR: knowledgeDir } : {}),
    ...env,
  });
  const knowledge = new KnowledgeStore(copy ? () => buildFromDir(knowledgeDir) : projectKnowledge);
  await knowledge.reload();
  const app = await buildApp({ config, knowledge, assistant: await projectAssistant(), store: new MemoryStore(), logger: false });
  apps.push(app);
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object | Buffer, token = OPERATOR) =>
    app.inject({
      method,
      url,
      headers: Buffer.isBuffer(payload) ? { ...auth(token), 'content-type': 'application/octet-stream' } : auth(token),
      ...(payload ? { payload } : {}),
    });
  const get = (url: string, token = OPERATOR) => call('GET', url, undefined, token);
  const post = (url: string, payload: object = {}, token = OPERATOR) => call('POST', url, payload, token);
  const ask = async (text: string) => (await app.inject({ method: 'POST', url: '/api/ask', payload: { text } })).json();
  return { app, dir: join(root, 'ops'), knowledgeDir, call, get, post, ask };
}
