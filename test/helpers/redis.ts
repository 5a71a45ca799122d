import { Redis } from 'ioredis';

/** The Redis every machine of this project runs; TEST_REDIS_URL overrides it. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether Redis answers. When it does not: in CI the tests that need it fail (they must run there); elsewhere they
 * are skipped, and this says why.
 */
export async function redisOrSkip(): Promise<boolean> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch (err) {
    const why = `Redis is not reachable at ${TEST_REDIS_URL} (${(err as Error).message})`;
    if (process.env.CI) throw new Error(`${why}: CI must run the tests that need it`);
    console.warn(`skipping the tests that need Redis: ${why}`);
    return false;
  } finally {
    redis.disconnect();
  }
}
