import type { FastifyPluginAsync } from 'fastify';
import type { KnowledgeStore } from '../kb/store.js';

/** `GET /healthz`: 200 `{"status":"ok"}` once the knowledge base is loaded, 503 before. */
export const healthRoutes: FastifyPluginAsync<{ knowledge: KnowledgeStore }> = async (app, { knowledge }) => {
  app.get('/healthz', async (_request, reply) => {
    if (!knowledge.current) return reply.code(503).send({ status: 'starting' });
    return { status: 'ok' };
  });
};
