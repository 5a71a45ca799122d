import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionSecret } from '../src/secret.js';

describe('the session secret kept in DATA_DIR', () => {
  it('is generated once, readable by the owner only, and the same after a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hl-secret-'));
    try {
      const data = join(dir, 'data');
      const first = await sessionSecret(data);
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect((await stat(join(data, 'session-secret'))).mode & 0o777).toBe(0o600);
      expect(await sessionSecret(data)).toBe(first);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
