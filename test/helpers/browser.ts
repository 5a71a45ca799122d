import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium } from 'playwright-core';
import { buildApp, buildAssistant } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { projectKnowledge } from './knowledge.js';

/** Debian's Chromium (DEVELOPERS.md); `.ci/run` installs it. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether the browser tests can run here. Without Chromium they are skipped with a message — except under
 * CI, where they must run, so its absence fails the run.
 */
export function chromiumAvailable(): boolean {
  const available = existsSync(CHROMIUM);
  if (!available && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  if (!available) console.warn(`skipping browser tests: ${CHROMIUM} not installed (apt-get install -y chromium)`);
  return available;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** The app on the project's knowledge, listening on loopback for a browser: the app and its base URL. */
export async function serveProject(env: Record<string, string> = {}): Promise<{ app: FastifyInstance; base: string }> {
  const config = loadConfig(env);
  const knowledge = new KnowledgeStore(projectKnowledge);
  await knowledge.reload();
  const app = await buildApp({ config, knowledge, assistant: await buildAssistant(config), logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };
}
