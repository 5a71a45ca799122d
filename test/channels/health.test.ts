import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { type Dependency, healthRoutes } from '../../src/channels/health.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { projectKnowledge } from '../helpers/knowledge.js';

/** The health routes alone, on the project's knowledge, with the given dependencies. */
async function health(dependencies: Dependency[]) {
  const knowledge = new KnowledgeStore(projectKnowledge);
  await knowledge.reload();
  const app = Fastify();
  await app.register(healthRoutes, { knowledge, dependencies });
  return app;
}

describe('readiness with dependencies (issue 15)', () => {
  it('is ready with an empty dependencies object when none is configured', async () => {
    const app = await health([]);
    const res = await app.inject('/readyz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', knowledge: { notices: 5 }, dependencies: {} });
    await app.close();
  });

  it('answers 503 naming the dependency that is down, the others up, and liveness stays 200', async () => {
    let redisUp = true;
    const app = await health([
      {
        name: 'redis',
        check: async () => {
          if (!redisUp) throw new Error('ECONNREFUSED');
        },
      },
      { name: 'postgres', check: async () => {} },
    ]);
    expect((await app.inject('/readyz')).json()).toMatchObject({ status: 'ready', dependencies: { redis: 'up', postgres: 'up' } });
    redisUp = false;
    const down = await app.inject('/readyz');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({
      status: 'unavailable',
      knowledge: { notices: 5 },
      dependencies: { redis: 'down', postgres: 'up' },
    });
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    await app.close();
  });

  it('counts a dependency that does not answer as down', async () => {
    const app = await health([{ name: 'postgres', check: () => new Promise(() => {}) }]);
    const res = await app.inject('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.json().dependencies).toEqual({ postgres: 'down' });
    await app.close();
  });
});
