import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('reads TRUST_PROXY as Fastify takes it: none, any, hops, or addresses; refuses anything else', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(() => loadConfig({ TRUST_PROXY: 'the balancer' })).toThrowError(expect.objectContaining({ code: 'HL_ERR_CONFIG_INVALID' }));
  });

  it('reads DATABASE_SCHEMA (default public) and refuses a name SQL would need quoted', () => {
    expect(loadConfig({}).databaseSchema).toBe('public');
    expect(loadConfig({ DATABASE_SCHEMA: 'hotline_2' }).databaseSchema).toBe('hotline_2');
    expect(() => loadConfig({ DATABASE_SCHEMA: 'Hot"line' })).toThrowError(expect.objectContaining({ code: 'HL_ERR_CONFIG_INVALID' }));
  });

  it('uses the embedded defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', logLevel: 'info', adminToken: null });
    expect(c.dataDir.endsWith('/data')).toBe(true);
    expect(c.knowledgeDir.endsWith('/knowledge')).toBe(true);
  });

  it('reads the documented variables', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/hl',
      LOG_LEVEL: 'warn',
      KNOWLEDGE_DIR: '/srv/kb',
      ADMIN_TOKEN: 'a'.repeat(32),
    });
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/hl',
      logLevel: 'warn',
      knowledgeDir: '/srv/kb',
      adminToken: 'a'.repeat(32),
    });
  });

  it('reads agents, the handoff limits, the store and the WeChat channel', () => {
    const c = loadConfig({
      AGENT_TOKENS: ' alice:aaaaaaaaaaaaaaaaaaaa , bob:bbbbbbbbbbbbbbbbbbbb ',
      AGENT_CAPACITY: '5',
      HANDOFF_WAIT_LIMIT_MS: '60000',
      STORE: 'memory',
      PUBLIC_BASE_URL: 'https://yb.example.gov.cn/',
      WECHAT_TOKEN: 'tok123',
      WECHAT_ENCODING_AES_KEY: 'a'.repeat(43),
      WECHAT_APP_ID: 'wx123',
      WECHAT_REGION: '包头',
      WECHAT_MENU: 'RX:慢性病开药,REMOTE:异地就医备案',
    });
    expect(c.agents).toEqual([
      { id: 'alice', token: 'a'.repeat(20), name: 'alice' },
      { id: 'bob', token: 'b'.repeat(20), name: 'bob' },
    ]);
    expect(c.handoff).toMatchObject({ capacity: 5, waitLimitMs: 60000 });
    expect(c.store).toBe('memory');
    expect(c.publicBaseUrl).toBe('https://yb.example.gov.cn');
    expect(c.wechat).toMatchObject({
      token: 'tok123',
      region: '包头',
      handoff: 'queue',
      menu: { RX: '慢性病开药', REMOTE: '异地就医备案' },
    });
    expect(loadConfig({}).wechat).toBeNull();
  });

  it('reads an agent’s display name from AGENT_TOKENS id=name:token, the id when none is given (issue 13, item 6)', () => {
    const c = loadConfig({
      AGENT_TOKENS: 'alice=王芳:aaaaaaaaaaaaaaaaaaaa, bob:b=bbbbbbbbbbbbbbbbbbb:b, carol = 李 明 :cccccccccccccccccccc',
    });
    expect(c.agents).toEqual([
      { id: 'alice', token: 'a'.repeat(20), name: '王芳' },
      // Before the first colon there is no `=`: the old form, however the token is spelled.
      { id: 'bob', token: 'b=bbbbbbbbbbbbbbbbbbb:b', name: 'bob' },
      { id: 'carol', token: 'c'.repeat(20), name: '李 明' },
    ]);
  });

  it('reads the operators (OPERATOR_TOKENS) as agents are read, and the desk’s settings (issue 16)', () => {
    const c = loadConfig({ OPERATOR_TOKENS: 'wang=王工:wwwwwwwwwwwwwwwwwwww', DATA_DIR: '/srv/hl', OPS_EVAL_FILES: 'a.jsonl, b.jsonl' });
    expect(c.operators).toEqual([{ id: 'wang', token: 'w'.repeat(20), name: '王工' }]);
    expect(c.ops).toEqual({
      dir: '/srv/hl/ops',
      evalFloor: 0.85,
      lowConfidence: 0.4,
      evalFiles: [resolve('a.jsonl'), resolve('b.jsonl')],
      expirySoonDays: 30,
    });
    expect(loadConfig({ OPS_DIR: '/var/ops', OPS_EVAL_FLOOR: '0.9' }).ops).toMatchObject({ dir: '/var/ops', evalFloor: 0.9 });
  });

  it('reads only the variables it is given, not the shell’s (issue 12: a PORT in the shell broke npm test)', () => {
    const saved = process.env.PORT;
    process.env.PORT = 'not-a-port';
    try {
      expect(loadConfig({}).port).toBe(3000);
      expect(loadConfig({ PORT: '3100' }).port).toBe(3100);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });

  it('times requests out by default: 30 s whole, 10 s for the headers, 5 s idle keep-alive (issue 12, defect 3)', () => {
    expect(loadConfig({}).http).toMatchObject({ requestTimeoutMs: 30000, headersTimeoutMs: 10000, keepAliveTimeoutMs: 5000 });
    expect(
      loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '20000', HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '2000' }).http,
    ).toMatchObject({ requestTimeoutMs: 20000, headersTimeoutMs: 20000, keepAliveTimeoutMs: 2000 });
    expect(Object.isFrozen(loadConfig({}).http)).toBe(true);
    // A short request timeout alone brings the headers' default down with it.
    expect(loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '1000' }).http).toMatchObject({ requestTimeoutMs: 1000, headersTimeoutMs: 1000 });
  });

  it('refuses a headers timeout longer than the request timeout (issue 12, defect 3: Node would swap them)', () => {
    expect(() => loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '5000', HTTP_HEADERS_TIMEOUT_MS: '6000' })).toThrowError(
      expect.objectContaining({ code: 'HL_ERR_CONFIG_INVALID', message: expect.stringContaining('HTTP_HEADERS_TIMEOUT_MS') }),
    );
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '40000' })).toThrowError(expect.objectContaining({ code: 'HL_ERR_CONFIG_INVALID' }));
  });

  it('keeps everything in one process without REDIS_URL, and names the instance after its host and pid', () => {
    const c = loadConfig({});
    expect(c.redis).toBeNull();
    expect(c.databaseUrl).toBeNull();
    expect(c.instanceId).toMatch(new RegExp(`-${process.pid}$`));
  });

  it('reads Redis with its key prefix (hl: by default), the PostgreSQL URL and the instance id', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'hl:' });
    const c = loadConfig({
      REDIS_URL: 'rediss://:pw@cache.example:6380/2',
      REDIS_PREFIX: 'yb:prod:',
      DATABASE_URL: 'postgres://hl@127.0.0.1:5432/test',
      INSTANCE_ID: 'web-2',
    });
    expect(c).toMatchObject({
      redis: { url: 'rediss://:pw@cache.example:6380/2', prefix: 'yb:prod:' },
      databaseUrl: 'postgres://hl@127.0.0.1:5432/test',
      instanceId: 'web-2',
    });
    expect(Object.isFrozen(c.redis)).toBe(true);
  });

  it('never repeats a refused service URL, which may hold a password', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://:s3cret@cache:6379' })).toThrowError(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
    );
  });

  it('is frozen', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN'],
    [{ AGENT_TOKENS: 'alice:short' }, 'AGENT_TOKENS'],
    [{ AGENT_TOKENS: 'alice:aaaaaaaaaaaaaaaaaaaa,alice:bbbbbbbbbbbbbbbbbbbb' }, 'AGENT_TOKENS'],
    [{ AGENT_TOKENS: 'no-colon-here-000000000' }, 'AGENT_TOKENS'],
    [{ AGENT_TOKENS: 'alice=:aaaaaaaaaaaaaaaaaaaa' }, 'AGENT_TOKENS'],
    [{ AGENT_TOKENS: `alice=${'名'.repeat(21)}:aaaaaaaaaaaaaaaaaaaa` }, 'AGENT_TOKENS'],
    [{ AGENT_TOKENS: '=王芳:aaaaaaaaaaaaaaaaaaaa' }, 'AGENT_TOKENS'],
    [{ OPERATOR_TOKENS: 'wang:short' }, 'OPERATOR_TOKENS'],
    [{ OPERATOR_TOKENS: 'wang:aaaaaaaaaaaaaaaaaaaa', AGENT_TOKENS: 'alice:aaaaaaaaaaaaaaaaaaaa' }, 'OPERATOR_TOKENS'],
    [{ OPS_EVAL_FLOOR: '1.5' }, 'OPS_EVAL_FLOOR'],
    [{ OPS_LOW_CONFIDENCE: 'low' }, 'OPS_LOW_CONFIDENCE'],
    [{ OPS_EXPIRY_SOON_DAYS: '0' }, 'OPS_EXPIRY_SOON_DAYS'],
    [{ STORE: 'postgres' }, 'STORE'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ WECHAT_TOKEN: 'has space' }, 'WECHAT_TOKEN'],
    [{ WECHAT_TOKEN: 'tok123', WECHAT_ENCODING_AES_KEY: 'tooshort', WECHAT_APP_ID: 'wx1' }, 'WECHAT_ENCODING_AES_KEY'],
    [{ WECHAT_TOKEN: 'tok123', WECHAT_ENCODING_AES_KEY: 'a'.repeat(43) }, 'WECHAT_APP_ID'],
    [{ WECHAT_TOKEN: 'tok123', WECHAT_MENU: 'KEYONLY' }, 'WECHAT_MENU'],
    [{ WECHAT_HANDOFF: 'elsewhere' }, 'WECHAT_HANDOFF'],
    [{ HTTP_REQUEST_TIMEOUT_MS: '0' }, 'HTTP_REQUEST_TIMEOUT_MS'],
    [{ HTTP_KEEP_ALIVE_TIMEOUT_MS: 'forever' }, 'HTTP_KEEP_ALIVE_TIMEOUT_MS'],
    [{ REDIS_URL: '127.0.0.1:6379' }, 'REDIS_URL'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
    [{ REDIS_URL: 'redis://' }, 'REDIS_URL'],
    [{ REDIS_PREFIX: 'has space' }, 'REDIS_PREFIX'],
    [{ DATABASE_URL: 'mysql://127.0.0.1/test' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ INSTANCE_ID: 'a b' }, 'INSTANCE_ID'],
  ])('refuses %j with HL_ERR_CONFIG_INVALID naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrowError(
      expect.objectContaining({ code: 'HL_ERR_CONFIG_INVALID', message: expect.stringContaining(name) }),
    );
  });
});
