import type { FastifyPluginAsync } from 'fastify';
import { OPS_PAGE } from '../operators/desk/page.js';
import { builtScript } from './built-script.js';
import { errorSchema, textResponse } from './schemas.js';

export interface OpsPageOptions {
  /** The built desk (`npm run build` writes dist/public/ops.js). */
  file: string;
}

/**
 * `GET /ops` (the operators' desk, issue 16) and `GET /ops.js` (its script). Sign-in happens in the page, with
 * an operator token (OPERATOR_TOKENS); the page then reads and writes `/api/ops/*`.
 */
export const opsPageRoutes: FastifyPluginAsync<OpsPageOptions> = async (app, { file }) => {
  app.get(
    '/ops.js',
    {
      schema: {
        summary: 'The operators’ desk script',
        description: '503 HL_ERR_WIDGET_MISSING until `npm run build` has built it.',
        tags: ['pages'],
        response: { 200: textResponse('application/javascript', 'the desk, one file'), 503: errorSchema },
      },
    },
    builtScript(file, 'no-cache'),
  );
  app.get(
    '/ops',
    {
      schema: {
        summary: 'The operators’ desk',
        description:
          'Sign in with an operator token; misses grouped, trends as charts, notice updates (staging, preview, publish, roll back) and expiry, over /api/ops/*.',
        tags: ['pages'],
        response: { 200: textResponse('text/html', 'the desk page') },
      },
    },
    async (_request, reply) => reply.type('text/html; charset=utf-8').send(OPS_PAGE),
  );
};
