import type { FastifyPluginAsync } from 'fastify';
import { MAX_TEXT } from '../http/ask.js';
import { asyncApiDocument } from './asyncapi.js';
import { renderAsyncApiPage } from './asyncapi-page.js';

/**
 * The WebSocket protocols' documentation beside the OpenAPI one (`/docs`, `/docs/json`): the AsyncAPI 3.0
 * document at `GET /docs/asyncapi.json` and a page to read it at `GET /docs/asyncapi`. Both are built once.
 */
export const docsRoutes: FastifyPluginAsync = async (app) => {
  // The chat and the console take texts up to MAX_TEXT, as their routes do.
  const document = asyncApiDocument(MAX_TEXT);
  const json = JSON.stringify(document);
  const page = renderAsyncApiPage(document);
  app.get('/docs/asyncapi.json', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(json),
  );
  app.get('/docs/asyncapi', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
};
