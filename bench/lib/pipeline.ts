/**
 * Our answer pipeline in this process, as the service runs it: the built code (dist/; `npm run build` first), not the
 * sources through tsx, whose keepNames wrappers add a call for every closure made.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Assistant } from '../../src/dialogue/assistant.js';
import type { KnowledgeBase } from '../../src/kb/knowledge-base.js';
import { ROOT } from './root.js';

const built = (path: string) => import(new URL(`../../dist/${path}`, import.meta.url).href);
export const { loadLanguageData } = (await built('nlu/load.js')) as typeof import('../../src/nlu/load.js');
export const { buildFromDir } = (await built('kb/load.js')) as typeof import('../../src/kb/load.js');
export const { buildAssistant } = (await built('app.js')) as typeof import('../../src/app.js');
const { loadConfig } = (await built('config.js')) as typeof import('../../src/config.js');

/** The config the in-process benches measure with: the project's knowledge and intents, answer cache off. */
export function uncachedConfig(): ReturnType<typeof loadConfig> {
  return loadConfig({
    KNOWLEDGE_DIR: join(ROOT, 'knowledge'),
    INTENTS_DIR: join(ROOT, 'intents'),
    DATA_DIR: join(tmpdir(), 'hl-bench-data'),
    ANSWER_CACHE_MAX: '0',
  });
}

/** Milliseconds since `start` (a `process.hrtime.bigint()`). */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A timed ask: one `assistant.ask` on `kb` in a fresh session (`<prefix>-<n>`), returning how long it took in ms. */
export function timedAsk(assistant: Assistant, kb: KnowledgeBase, prefix: string): (text: string) => number {
  let session = 0;
  return (text) => {
    const start = process.hrtime.bigint();
    assistant.ask(kb, { text, sessionId: `${prefix}-${session++}` });
    return msSince(start);
  };
}
