import type { FastifyPluginAsync } from 'fastify';
import { CONSOLE_PAGE } from '../../console/page.js';
import { builtScript } from '../built-script.js';
import { errorSchema, textResponse } from '../schemas.js';

export interface ConsoleOptions {
  /** The built console (`npm run build` writes dist/public/console.js). */
  file: string;
}

/** `GET /agent` (the agents' console page) and `GET /console.js` (its script). Sign-in happens in the page. */
export const consoleRoutes: FastifyPluginAsync<ConsoleOptions> = async (app, { file }) => {
  app.get(
    '/console.js',
    {
      schema: {
        summary: 'The agents’ console script',
        description: '503 HL_ERR_WIDGET_MISSING until `npm run build` has built it.',
        tags: ['pages'],
        response: { 200: textResponse('application/javascript', 'the console, one file'), 503: errorSchema },
      },
    },
    builtScript(file, 'no-cache'),
  );
  app.get(
    '/agent',
    {
      schema: {
        summary: 'The hotline agents’ console',
        description: 'Sign in with an agent token; the console then talks over /ws/agent (see /docs/asyncapi).',
        tags: ['pages'],
        response: { 200: textResponse('text/html', 'the console page') },
      },
    },
    async (_request, reply) => reply.type('text/html; charset=utf-8').send(CONSOLE_PAGE),
  );
};
