import type { FastifyPluginAsync } from 'fastify';
import type { KnowledgeStore } from '../kb/store.js';

/** `GET /healthz` (live): 200 `{"status":"ok"}` once the knowledge base is loaded, 503 before; `GET /readyz`. */
export const healthRoutes: FastifyPluginAsync<{ knowledge: KnowledgeStore }> = async (app, { knowledge }) => {
  app.get('/healthz', { config: { rateLimit: false } }, async (_request, reply) => {
    if (!knowledge.current) return reply.code(503).send({ status: 'starting' });
    return { status: 'ok' };
  });

  /** Ready to serve: the knowledge base is loaded (its size and build time say which one). */
  app.get('/readyz', { config: { rateLimit: false } }, async (_request, reply) => {
    const kb = knowledge.current;
    if (!kb) return reply.code(503).send({ status: 'not ready', knowledge: null });
    return { status: 'ready', knowledge: { ...kb.counts, builtAt: kb.builtAt } };
  });
};
