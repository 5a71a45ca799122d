import type { FastifyPluginAsync } from 'fastify';
import { CONSOLE_PAGE } from '../../console/page.js';
import { builtScript } from '../built-script.js';

export interface ConsoleOptions {
  /** The built console (`npm run build` writes dist/public/console.js). */
  file: string;
}

/** `GET /agent` (the agents' console page) and `GET /console.js` (its script). Sign-in happens in the page. */
export const consoleRoutes: FastifyPluginAsync<ConsoleOptions> = async (app, { file }) => {
  app.get('/console.js', builtScript(file, 'no-cache'));
  app.get('/agent', async (_request, reply) => reply.type('text/html; charset=utf-8').send(CONSOLE_PAGE));
};
