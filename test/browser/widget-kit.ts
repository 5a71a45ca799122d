/**
 * What the widget's browser tests share: a server on a port (its store and resume-token secret kept across a
 * restart, as a deployment's are), an agent's console socket, axe-core run in the page, screenshots.
 */
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import WebSocket from 'ws';
import { buildApp, buildAssistant } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { MemoryStore } from '../../src/store/memory.js';
import { frames } from '../helpers/frames.js';
import { projectKnowledge, ROOT } from '../helpers/knowledge.js';

const require = createRequire(import.meta.url);

export interface Server {
  base: string;
  /** Close (open sockets are dropped); `start` again on the same port, store and secret: widgets reconnect and resume. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * The app on a port, with host pages of the test's own (`pages`: path → HTML) served beside the demo page, from
 * the same address: a page from elsewhere may not open a socket to 127.0.0.1 (Chromium's local network access).
 */
export async function serve(env: Record<string, string> = {}, pages: Record<string, string> = {}): Promise<Server> {
  // A test clicks faster than a person: the per-connection frame limit (10 per 10 s) is not what is tested here.
  const config = loadConfig({ WS_RATE_MESSAGES: '200', ...env });
  const knowledge = new KnowledgeStore(projectKnowledge);
  await knowledge.reload();
  const assistant = await buildAssistant(config);
  const store = new MemoryStore();
  const sessionSecret = 'widget-test-secret-0123456789abcdef';
  let app: FastifyInstance | null = null;
  let port = 0;
  const start = async () => {
    app = await buildApp({ config, knowledge, assistant, store, sessionSecret, logger: false });
    for (const [path, html] of Object.entries(pages))
      app.get(path, async (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
    await app.listen({ port, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  };
  await start();
  return {
    base: `http://127.0.0.1:${port}`,
    start,
    async stop() {
      await app?.close();
      app = null;
    },
  };
}

/** A console's socket, as the agents' console opens it. */
export async function agentSocket(base: string, token: string) {
  const s = new WebSocket(`ws://${base.slice('http://'.length)}/ws/agent?token=${token}`);
  const f = frames(s);
  await new Promise((r) => s.once('open', r));
  return { s, f, send: (frame: object) => s.send(JSON.stringify(frame)) };
}

/** A citizen's chat socket outside the browser (to keep an agent busy). */
export async function chatSocket(base: string) {
  const s = new WebSocket(`ws://${base.slice('http://'.length)}/ws/chat`);
  const f = frames(s);
  await new Promise((r) => s.once('open', r));
  return { s, f, send: (frame: object) => s.send(JSON.stringify(frame)) };
}

/** An element as the tests' page functions use it. */
export interface PageElement {
  id: string;
  tagName: string;
  className: string;
  dataset: Record<string, string | undefined>;
  shadowRoot: PageRoot | null;
  click(): void;
  contains(other: unknown): boolean;
}
interface PageRoot {
  activeElement: PageElement | null;
  querySelector(selector: string): PageElement | null;
  elementFromPoint(x: number, y: number): PageElement | null;
}

/**
 * The browser's globals inside `page.evaluate` callbacks, typed as far as the tests use them: the tests
 * compile without the DOM lib, which would let server code use browser globals too. In a callback:
 * `const { document } = globalThis as unknown as PageGlobals;`.
 */
export interface PageGlobals {
  document: PageRoot & { title: string; documentElement: { scrollWidth: number } };
  navigator: { clipboard: { readText(): Promise<string> } };
  visualViewport: { offsetLeft: number; offsetTop: number; pageLeft: number } | null;
  innerWidth: number;
  AudioContext: { prototype: { createOscillator(): unknown } };
  /** Tones the widget played (counted by the test). */
  __tones: number;
  axe: { run(context: unknown): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
}

export interface AxeFigures {
  serious: number;
  critical: number;
  /** `impact rule ×nodes` for every violation, to read in a failure. */
  violations: string[];
}

/** axe-core on the whole document (it follows the widget's open shadow root). The page needs `bypassCSP`. */
export async function axe(page: Page): Promise<AxeFigures> {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const violations = await page.evaluate(async () => {
    const { axe, document } = globalThis as unknown as PageGlobals;
    const result = await axe.run(document);
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  return {
    serious: violations.filter((v) => v.impact === 'serious').length,
    critical: violations.filter((v) => v.impact === 'critical').length,
    violations: violations.map((v) => `${v.impact} ${v.id} ×${v.nodes}`),
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(join(ROOT, 'test-output'), { recursive: true });
  await page.screenshot({ path: join(ROOT, 'test-output', name) });
}

/** A host page around the widget's script. */
export function hostPage(body: string, { head = '', script = '<script src="/widget.js" data-title="医保咨询"></script>' } = {}): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>测试页</title>${head}</head><body>${body}${script}</body></html>`;
}
