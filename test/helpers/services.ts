import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Redis } from 'ioredis';

/** The services this machine and CI run from the start (issue 15); `.ci/run` checks them too. */
export const REDIS = { host: '127.0.0.1', port: 6379, url: 'redis://127.0.0.1:6379' };
export const POSTGRES = { host: '127.0.0.1', port: 5432, url: 'postgres://postgres@127.0.0.1:5432/test' };

/** Whether something accepts a TCP connection at host:port within `timeoutMs` (`.ci/run` asks it too, before the tests). */
export function reachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/**
 * Whether the tests that need a service can run: without it they are skipped with a message — except under
 * CI, where it must be there, so its absence fails the run.
 */
async function need(name: string, host: string, port: number): Promise<boolean> {
  if (await reachable(host, port)) return true;
  const message = `${name} is not reachable at ${host}:${port}`;
  if (process.env.CI) throw new Error(`${message}: CI must run it (.ci/run checks it before the tests)`);
  console.warn(`skipping the tests that need ${name}: ${message}`);
  return false;
}

export const needRedis = () => need('Redis', REDIS.host, REDIS.port);
export const needPostgres = () => need('PostgreSQL', POSTGRES.host, POSTGRES.port);

/** A key prefix of its own for a test run (`hltest:<random>:`), and how to delete every key under it. */
export function redisPrefix(): { prefix: string; cleanup: () => Promise<void> } {
  const prefix = `hltest:${randomBytes(6).toString('hex')}:`;
  const cleanup = async () => {
    const redis = new Redis(REDIS.url, { maxRetriesPerRequest: 1 });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  };
  return { prefix, cleanup };
}
