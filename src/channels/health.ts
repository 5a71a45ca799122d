import type { FastifyPluginAsync } from 'fastify';
import type { KnowledgeStore } from '../kb/store.js';

const ops = { tags: ['operations'] };
const status = (value: string) => ({ type: 'string', const: value });

/** `GET /healthz` (live): 200 `{"status":"ok"}` once the knowledge base is loaded, 503 before; `GET /readyz`. */
export const healthRoutes: FastifyPluginAsync<{ knowledge: KnowledgeStore }> = async (app, { knowledge }) => {
  app.get(
    '/healthz',
    {
      config: { rateLimit: false },
      schema: {
        summary: 'Liveness: the knowledge base is loaded',
        description: 'For load balancers and the Docker HEALTHCHECK; not rate-limited.',
        ...ops,
        response: {
          200: { type: 'object', required: ['status'], properties: { status: status('ok') } },
          503: { type: 'object', required: ['status'], properties: { status: status('starting') } },
        },
      },
    },
    async (_request, reply) => {
      if (!knowledge.current) return reply.code(503).send({ status: 'starting' });
      return { status: 'ok' };
    },
  );

  /** Ready to serve: the knowledge base is loaded (its size and build time say which one). */
  app.get(
    '/readyz',
    {
      config: { rateLimit: false },
      schema: {
        summary: 'Readiness, with the knowledge base served',
        description: 'How many notices, clauses and facts the knowledge base in service holds, the files skipped, and when it was built.',
        ...ops,
        response: {
          200: {
            type: 'object',
            required: ['status', 'knowledge'],
            properties: {
              status: status('ready'),
              knowledge: {
                type: 'object',
                required: ['notices', 'clauses', 'facts', 'skipped', 'builtAt'],
                properties: {
                  notices: { type: 'integer' },
                  clauses: { type: 'integer' },
                  facts: { type: 'integer' },
                  skipped: { type: 'integer', description: 'notice files that could not be read' },
                  builtAt: { type: 'string', description: 'ISO time of the build' },
                },
              },
            },
          },
          503: {
            type: 'object',
            required: ['status', 'knowledge'],
            properties: { status: status('not ready'), knowledge: { type: 'null' } },
          },
        },
      },
    },
    async (_request, reply) => {
      const kb = knowledge.current;
      if (!kb) return reply.code(503).send({ status: 'not ready', knowledge: null });
      return { status: 'ready', knowledge: { ...kb.counts, builtAt: kb.builtAt } };
    },
  );
};
