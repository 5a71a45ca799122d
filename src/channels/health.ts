import type { FastifyPluginAsync } from 'fastify';
import type { KnowledgeStore } from '../kb/store.js';

const ops = { tags: ['operations'] };
const status = (value: string) => ({ type: 'string', const: value });

/** A service the instance needs to serve (Redis, PostgreSQL): `check` resolves while it answers. */
export interface Dependency {
  name: string;
  check(): Promise<void>;
}

/** A check that has not answered within this counts as down (readiness must answer quickly itself). */
export const CHECK_TIMEOUT_MS = 1500;

const knowledgeSchema = {
  type: 'object',
  required: ['notices', 'clauses', 'facts', 'skipped', 'builtAt'],
  properties: {
    notices: { type: 'integer' },
    clauses: { type: 'integer' },
    facts: { type: 'integer' },
    skipped: { type: 'integer', description: 'notice files that could not be read' },
    builtAt: { type: 'string', description: 'ISO time of the build' },
  },
};
const dependenciesSchema = {
  type: 'object',
  description: 'each configured dependency (redis, postgres) and whether it answered; empty when none is configured',
  additionalProperties: { type: 'string', enum: ['up', 'down'] },
};

/** Each dependency checked at once, each `up` or `down` (an error or no answer within CHECK_TIMEOUT_MS). */
async function checkAll(dependencies: readonly Dependency[]): Promise<Record<string, 'up' | 'down'>> {
  const results = await Promise.all(
    dependencies.map(async (d) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer')), CHECK_TIMEOUT_MS);
      });
      try {
        await Promise.race([d.check(), late]);
        return [d.name, 'up'] as const;
      } catch {
        return [d.name, 'down'] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(results);
}

/**
 * `GET /healthz` (live): 200 `{"status":"ok"}` once the knowledge base is loaded, 503 before; `GET /readyz`
 * (ready): the knowledge base loaded and every dependency answering. Liveness does not look at the
 * dependencies: restarting an instance does not bring Redis back.
 */
export const healthRoutes: FastifyPluginAsync<{ knowledge: KnowledgeStore; dependencies?: readonly Dependency[] }> = async (
  app,
  { knowledge, dependencies = [] },
) => {
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

  /** Ready to serve: the knowledge base is loaded (its size and build time say which one) and the dependencies answer. */
  app.get(
    '/readyz',
    {
      config: { rateLimit: false },
      schema: {
        summary: 'Readiness, with the knowledge base served and the dependencies',
        description:
          'How many notices, clauses and facts the knowledge base in service holds, the files skipped, and when it was built; and whether each configured dependency (Redis, PostgreSQL) answers. 503 `not ready` before the knowledge base is loaded, `unavailable` while a dependency is down (named in `dependencies`).',
        ...ops,
        response: {
          200: {
            type: 'object',
            required: ['status', 'knowledge', 'dependencies'],
            properties: { status: status('ready'), knowledge: knowledgeSchema, dependencies: dependenciesSchema },
          },
          503: {
            type: 'object',
            required: ['status', 'knowledge', 'dependencies'],
            properties: {
              status: { type: 'string', enum: ['not ready', 'unavailable'] },
              knowledge: { anyOf: [knowledgeSchema, { type: 'null' }] },
              dependencies: dependenciesSchema,
            },
          },
        },
      },
    },
    async (_request, reply) => {
      const kb = knowledge.current;
      const states = await checkAll(dependencies);
      if (!kb) return reply.code(503).send({ status: 'not ready', knowledge: null, dependencies: states });
      const served = { ...kb.counts, builtAt: kb.builtAt };
      if (Object.values(states).includes('down'))
        return reply.code(503).send({ status: 'unavailable', knowledge: served, dependencies: states });
      return { status: 'ready', knowledge: served, dependencies: states };
    },
  );
};
