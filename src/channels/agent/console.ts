import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync } from 'fastify';
import { CONSOLE_PAGE } from '../../console/page.js';
import { HlError } from '../../errors.js';

export interface ConsoleOptions {
  /** The built console (`npm run build` writes dist/public/console.js). */
  file: string;
}

/** `GET /agent` (the agents' console page) and `GET /console.js` (its script). Sign-in happens in the page. */
export const consoleRoutes: FastifyPluginAsync<ConsoleOptions> = async (app, { file }) => {
  let body: Buffer | null = null;
  app.get('/console.js', async (_request, reply) => {
    if (!body) {
      try {
        body = await readFile(file);
      } catch {
        throw new HlError('HL_ERR_WIDGET_MISSING', [file]);
      }
    }
    return reply.type('application/javascript; charset=utf-8').header('cache-control', 'no-cache').send(body);
  });
  app.get('/agent', async (_request, reply) => reply.type('text/html; charset=utf-8').send(CONSOLE_PAGE));
};
