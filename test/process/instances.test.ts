/**
 * Two real instances (two processes, two ports, one Redis under a prefix of the run's own), as `src/server.ts`
 * runs: a WeChat push sent to both at once is answered once and both get the answer; SIGHUP on one makes a notice
 * dropped into the shared knowledge folder available on both (issue 15). Skipped without Redis unless CI is set.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Service, spawnService } from '../../bench/lib/service.js';
import { signature } from '../../src/channels/wechat/crypto.js';
import { KNOWLEDGE_DIR } from '../helpers/knowledge.js';
import { needRedis, REDIS, redisPrefix } from '../helpers/services.js';
import { FOLLOWER, textPush, uniqueMsgId, WECHAT_ENV, WECHAT_TOKEN } from '../helpers/wechat.js';

const { prefix, cleanup } = redisPrefix();
const instances: Service[] = [];
let dir: string | undefined;

afterAll(async () => {
  for (const i of instances) await i.kill();
  if (dir) await rm(dir, { recursive: true, force: true });
  await cleanup();
});

/** `src/server.ts` in a process of its own on Redis, ready once its /healthz answers. */
async function start(id: string, knowledgeDir: string, dataDir: string): Promise<Service> {
  const instance = await spawnService({
    entry: 'src',
    dataDir,
    ready: 'healthz',
    pollMs: 50,
    env: {
      KNOWLEDGE_DIR: knowledgeDir,
      STORE: 'memory',
      LOG_LEVEL: 'info',
      REDIS_URL: REDIS.url,
      REDIS_PREFIX: prefix,
      INSTANCE_ID: id,
      ...WECHAT_ENV,
    },
  });
  instances.push(instance);
  return instance;
}

function push(instance: Service, body: string): Promise<string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const query = new URLSearchParams({ signature: signature(WECHAT_TOKEN, timestamp, 'n0nce'), timestamp, nonce: 'n0nce' });
  return fetch(`${instance.base}/wechat?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body }).then((r) => r.text());
}

const content = (xml: string) => /<Content><!\[CDATA\[([\s\S]*?)\]\]><\/Content>/.exec(xml)?.[1];
const pushes = async (instance: Service) =>
  Number(/hl_wechat_pushes_total\{kind="text"\} (\d+)/.exec(await (await fetch(`${instance.base}/metrics`)).text())?.[1] ?? 0);

describe.runIf(await needRedis())('two instances in two processes on one Redis (issue 15)', () => {
  it('answers a push sent to both once, reloads both on one SIGHUP', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hl-instances-'));
    const knowledge = join(dir, 'knowledge');
    await cp(KNOWLEDGE_DIR, knowledge, { recursive: true, filter: (src) => !src.includes(join('knowledge', 'build')) });
    const [a, b] = await Promise.all([start('a', knowledge, join(dir, 'a')), start('b', knowledge, join(dir, 'b'))]);
    for (const i of [a, b]) expect(await (await fetch(`${i.base}/readyz`)).json()).toMatchObject({ dependencies: { redis: 'up' } });

    const body = textPush('包头高血压一次能开几个月的药？', uniqueMsgId());
    const [ra, rb] = await Promise.all([push(a, body), push(b, body)]);
    expect(ra).toContain('三个月');
    expect(ra).toContain(FOLLOWER);
    expect(content(rb)).toBe(content(ra));
    expect((await pushes(a)) + (await pushes(b))).toBe(1);

    expect((await fetch(`${b.base}/notices/hohhot-2022-10-20`)).status).toBe(404);
    await writeFile(
      join(knowledge, 'notices', 'hohhot-2022-10-20.txt'),
      '呼和浩特市医疗保障局关于疫情期间医保业务办理的通知\n一、医疗费用报销业务可推迟2个月办理。\n二、咨询电话：0471-1234567。\n呼和浩特市医疗保障局\n2022年10月20日\n',
    );
    a.child.kill('SIGHUP');
    await expect
      .poll(() => b.tail().join('\n'), { timeout: 15_000 })
      .toMatch(/"from":"a","notices":6[^\n]*knowledge reloaded \(asked by another instance\)/);
    expect((await fetch(`${b.base}/notices/hohhot-2022-10-20`)).status).toBe(200);
  }, 90_000);
});
