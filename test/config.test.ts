import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('loadConfig', () => {
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

  it('is frozen', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN'],
  ])('refuses %j with HL_ERR_CONFIG_INVALID naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrowError(
      expect.objectContaining({ code: 'HL_ERR_CONFIG_INVALID', message: expect.stringContaining(name) }),
    );
  });
});
