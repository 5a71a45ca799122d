/**
 * The Redis connections (src/shared/redis.ts) and `/readyz` with Redis, against the machine's Redis under a
 * key prefix of the run's own; skipped without Redis unless CI is set (issue 15).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SharedRedis } from '../../src/shared/redis.js';
import { build } from '../helpers/app.js';
import { afterTest } from '../helpers/cleanup.js';
import { needRedis, REDIS, redisPrefix } from '../helpers/services.js';
import { tcpProxy } from '../helpers/tcp-proxy.js';
import { postPush, textPush, uniqueMsgId, WECHAT_ENV } from '../helpers/wechat.js';

const { prefix, cleanup } = redisPrefix();
afterAll(cleanup);
const lines: string[] = [];
const log = { info: (_o: object, m: string) => void lines.push(m), warn: (_o: object, m: string) => void lines.push(m) };

describe.runIf(await needRedis())('shared Redis (issue 15)', () => {
  it('keeps its keys and channels under the prefix, and hears what is published', async () => {
    const redis = new SharedRedis({ url: REDIS.url, prefix, name: 'test', log });
    afterTest(() => redis.close());
    const heard: string[] = [];
    await redis.subscribe('news', (m) => heard.push(m));
    await redis.commands.set('k', 'v', 'PX', 60_000);
    const raw = new SharedRedis({ url: REDIS.url, prefix: '', name: 'test-raw', log });
    afterTest(() => raw.close());
    expect(await raw.commands.get(`${prefix}k`)).toBe('v');
    await raw.commands.publish(`${prefix}news`, 'hello');
    await expect.poll(() => heard).toEqual(['hello']);
    await redis.ping();
  });

  it('does not throw at the process when Redis cannot be reached: ping fails, the reason is logged once per connection', async () => {
    const proxy = await tcpProxy(REDIS);
    await proxy.down();
    const redis = new SharedRedis({ url: `redis://127.0.0.1:${proxy.port}`, prefix, name: 'test', log });
    afterTest(() => redis.close());
    lines.length = 0;
    await expect(redis.ping()).rejects.toThrow();
    await expect(redis.commands.set('k', 'v')).rejects.toThrow();
    await expect.poll(() => lines.filter((l) => l.includes('unreachable')).length).toBe(2);
  });

  it('says on /readyz when Redis stops answering (503 naming redis) and when it is back (200)', async () => {
    const proxy = await tcpProxy(REDIS);
    afterTest(() => proxy.close());
    const { app } = await build({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_PREFIX: prefix });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', knowledge: { notices: 5 }, dependencies: { redis: 'up' } });
    await proxy.down();
    await expect.poll(async () => (await app.inject('/readyz')).statusCode).toBe(503);
    const down = await app.inject('/readyz');
    expect(down.json()).toMatchObject({ status: 'unavailable', dependencies: { redis: 'down' } });
    // Citizens are still answered meanwhile: the rate limit lets requests through.
    const asked = await app.inject({ method: 'POST', url: '/api/ask', payload: { text: '包头高血压一次能开几个月的药？' } });
    expect(asked.statusCode).toBe(200);
    await proxy.up();
    await expect.poll(async () => (await app.inject('/readyz')).statusCode, { timeout: 10_000 }).toBe(200);
  });

  it('starts while Redis is away: not ready, questions answered, then ready once it is reachable', async () => {
    const proxy = await tcpProxy(REDIS);
    afterTest(() => proxy.close());
    await proxy.down();
    const { app } = await build({ ...WECHAT_ENV, REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_PREFIX: prefix });
    const down = await app.inject('/readyz');
    expect(down.statusCode).toBe(503);
    expect(down.json().dependencies).toEqual({ redis: 'down' });
    const asked = await app.inject({ method: 'POST', url: '/api/ask', payload: { text: '包头高血压一次能开几个月的药？' } });
    expect(asked.json().text).toContain('三个月');
    await proxy.up();
    await expect.poll(async () => (await app.inject('/readyz')).statusCode, { timeout: 10_000 }).toBe(200);
  });

  it('answers a WeChat push where it lands while Redis is away, and a retry there once', async () => {
    const proxy = await tcpProxy(REDIS);
    afterTest(() => proxy.close());
    const { app } = await build({ ...WECHAT_ENV, REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_PREFIX: prefix });
    await proxy.down();
    await expect.poll(async () => (await app.inject('/readyz')).statusCode).toBe(503);
    const body = textPush('包头高血压一次能开几个月的药？', uniqueMsgId());
    const first = await postPush(app, body);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('三个月');
    expect((await postPush(app, body)).body).toBe(first.body);
    expect((await app.inject('/metrics')).body).toMatch(/hl_wechat_pushes_total\{kind="text"\} 1\n/);
  });
});
