import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, buildAssistant } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { answerFeedback, chatRating } from '../../src/handoff/feedback.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { deskWith } from '../handoff/desk-helpers.js';
import { projectKnowledge } from '../helpers/knowledge.js';

const ADMIN = 'admin-token-0123456789';
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** The app on a SQLite store in `dataDir`, as the server runs it. */
async function appOn(dataDir: string) {
  const config = loadConfig({ ADMIN_TOKEN: ADMIN });
  const knowledge = new KnowledgeStore(projectKnowledge);
  await knowledge.reload();
  const store = new SqliteStore({ dataDir });
  const app = await buildApp({ config, knowledge, assistant: await buildAssistant(config), store, logger: false });
  const close = async () => {
    await app.close();
    await store.close();
  };
  return { app, close };
}

const post = (app: Awaited<ReturnType<typeof appOn>>['app'], url: string, payload: object) => app.inject({ method: 'POST', url, payload });

describe('好差评 on answers (issue 13)', () => {
  it('stores one verdict per answer with its source, counts it, lists it for operators, and keeps it across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hl-feedback-'));
    dirs.push(dataDir);
    const first = await appOn(dataDir);
    const asked = (await post(first.app, '/api/ask', { text: '包头高血压能开几个月的药？' })).json();
    expect(asked).toMatchObject({ type: 'answer', seq: expect.any(Number) });

    const given = await post(first.app, '/api/feedback', {
      sessionId: asked.sessionId,
      seq: asked.seq,
      vote: 'down',
      reason: 'unclear',
      comment: ' 看不太懂 ',
    });
    expect(given.statusCode).toBe(201);
    expect(given.json().feedback).toMatchObject({
      kind: 'answer',
      target: asked.seq,
      vote: 'down',
      reason: 'unclear',
      comment: '看不太懂',
    });
    const again = await post(first.app, '/api/feedback', { sessionId: asked.sessionId, seq: asked.seq, vote: 'up' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('HL_ERR_FEEDBACK_EXISTS');
    const metrics = (await first.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/^hl_feedback_total\{channel="api",vote="down",reason="unclear"\} 1$/m);
    await first.close();

    const second = await appOn(dataDir);
    const listed = await second.app.inject({ url: '/admin/feedback?kind=answer&limit=50', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().feedback).toEqual([
      expect.objectContaining({
        sessionId: asked.sessionId,
        vote: 'down',
        notice: asked.citations[0].notice,
        clause: asked.citations[0].clause,
        intent: asked.intent,
      }),
    ]);
    expect((await second.app.inject({ url: '/admin/feedback' })).statusCode).toBe(401);
    await second.close();
  });

  it('refuses bad verdicts with a code and stores nothing', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hl-feedback-'));
    dirs.push(dataDir);
    const { app, close } = await appOn(dataDir);
    const asked = (await post(app, '/api/ask', { text: '大连异地就医备案怎么办理？' })).json();
    const cases: [object, number, string][] = [
      [{ sessionId: asked.sessionId, seq: asked.seq + 1000, vote: 'up' }, 404, 'HL_ERR_FEEDBACK_TARGET'],
      [{ sessionId: 'someone-else', seq: asked.seq, vote: 'up' }, 404, 'HL_ERR_FEEDBACK_TARGET'],
      [{ sessionId: asked.sessionId, seq: asked.seq, vote: 'up', reason: 'wrong' }, 400, 'HL_ERR_BAD_FEEDBACK'],
      [{ sessionId: asked.sessionId, seq: asked.seq, vote: 'down', comment: '长'.repeat(201) }, 400, 'HL_ERR_BAD_FEEDBACK'],
      [{ sessionId: asked.sessionId, seq: asked.seq, vote: 'meh' }, 400, 'HL_ERR_BAD_REQUEST'],
      [{ sessionId: asked.sessionId, score: 5 }, 400, 'HL_ERR_BAD_REQUEST'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await post(app, '/api/feedback', payload);
      expect([res.statusCode, res.json().error.code], JSON.stringify(payload)).toEqual([status, code]);
    }
    const chat = await post(app, '/api/feedback/chat', { sessionId: asked.sessionId, score: 4 });
    expect([chat.statusCode, chat.json().error.code]).toEqual([404, 'HL_ERR_FEEDBACK_TARGET']);
    const listed = await app.inject({ url: '/admin/feedback', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(listed.json().feedback).toEqual([]);
    await close();
  });
});

describe('the rating of a chat with a person (issue 13)', () => {
  it('is taken once the chat ended, names the agent, and is written to the transcript agents read', async () => {
    const { desk, store, ask } = deskWith();
    await desk.register('a1', { capacity: 1 });
    await ask('s1', '大连');
    const rate = () => desk.feedback((s, at) => chatRating(s, { sessionId: 's1', channel: 'web', at }, { score: 4, comment: '很耐心' }));
    await expect(rate()).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_FEEDBACK_TARGET' }));
    await desk.resolve('a1', 's1', 'answered');
    expect(await rate()).toMatchObject({ kind: 'chat', score: 4, agentId: 'a1', region: '大连', comment: '很耐心' });
    await expect(rate()).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_FEEDBACK_EXISTS' }));
    expect((await store.transcript('s1')).at(-1)).toMatchObject({ role: 'system', text: '用户对人工服务的评价：4分 满意：很耐心' });
    await expect(desk.feedback((s, at) => chatRating(s, { sessionId: 's1', channel: 'web', at }, { score: 6 }))).rejects.toThrowError(
      expect.objectContaining({ code: 'HL_ERR_BAD_FEEDBACK' }),
    );
  });

  it('names only bot lines as answers', async () => {
    const { desk, say } = deskWith();
    const { entry } = await say('s1', '你好');
    await expect(
      desk.feedback((s, at) => answerFeedback(s, { sessionId: 's1', channel: 'web', at }, { seq: entry.seq, vote: 'up' })),
    ).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_FEEDBACK_TARGET' }));
  });
});
