import { describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../../src/kb/knowledge-base.js';
import { build } from '../helpers/app.js';
import { projectKnowledge } from '../helpers/knowledge.js';

const TOKEN = 'test-admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

describe('POST /admin/reload', () => {
  it('is off (404 with a code) when no ADMIN_TOKEN is configured', async () => {
    const { app } = await build();
    const res = await app.inject({ method: 'POST', url: '/admin/reload' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('HL_ERR_ADMIN_DISABLED');
  });

  it('refuses a missing or wrong token with 401', async () => {
    const { app } = await build({ ADMIN_TOKEN: TOKEN });
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: TOKEN }]) {
      const res = await app.inject({ method: 'POST', url: '/admin/reload', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('HL_ERR_UNAUTHORIZED');
    }
  });

  it('reloads and swaps in the new knowledge base', async () => {
    const kb = await projectKnowledge();
    const { app, knowledge } = await build({ ADMIN_TOKEN: TOKEN });
    const before = knowledge.current;
    const res = await app.inject({ method: 'POST', url: '/admin/reload', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'reloaded', notices: kb.notices.length });
    expect(knowledge.current).not.toBeNull();
    expect(before).not.toBeNull();
  });

  it('keeps serving the old knowledge base when the reload fails, and says why', async () => {
    const kb = await projectKnowledge();
    let fail = false;
    const loader = async (): Promise<KnowledgeBase> => {
      if (fail) throw new Error('notices folder is gone');
      return kb;
    };
    const { app, knowledge } = await build({ ADMIN_TOKEN: TOKEN }, loader);
    fail = true;
    const res = await app.inject({ method: 'POST', url: '/admin/reload', headers: auth });
    expect(res.statusCode).toBe(500);
    expect(res.json().error).toMatchObject({ code: 'HL_ERR_KB_RELOAD_FAILED', message: expect.stringContaining('notices folder is gone') });
    expect(knowledge.current).toBe(kb);
    expect((await app.inject('/notices/beijing-2020-02-07')).statusCode).toBe(200);
  });
});
