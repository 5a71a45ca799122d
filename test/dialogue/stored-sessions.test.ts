/**
 * What the bot remembers of a conversation (its city, its topic) is kept with the conversation, written by the turn
 * itself in the turn's unit (issue 13: the topic survives a restart; issue 15: any instance can take the next turn).
 */
import { describe, expect, it } from 'vitest';
import { buildApp, buildAssistant } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { newSession, stateJson, storedState } from '../../src/dialogue/session.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { Store } from '../../src/store/types.js';
import { afterTest } from '../helpers/cleanup.js';
import { projectKnowledge } from '../helpers/knowledge.js';

/** An app on `store`, as a fresh process (or another instance) would run it. */
async function instance(store: Store, env: Record<string, string> = {}) {
  const config = loadConfig(env);
  const knowledge = new KnowledgeStore(projectKnowledge);
  await knowledge.reload();
  const app = await buildApp({ config, knowledge, assistant: await buildAssistant(config), store, logger: false });
  afterTest(() => app.close());
  return app;
}

const ask = async (app: Awaited<ReturnType<typeof instance>>, text: string, sessionId?: string) => {
  const res = await app.inject({ method: 'POST', url: '/api/ask', payload: { text, ...(sessionId ? { sessionId } : {}) } });
  expect(res.statusCode).toBe(200);
  return res.json();
};

describe('a stored dialogue state', () => {
  const state = { ...newSession(), region: '大连', pending: true };

  it('is read back as written until it is idle past the TTL', () => {
    const row = { state: stateJson(state), updatedAt: 1_000 };
    expect(storedState(row, 60_999, 60_000)).toEqual(state);
    expect(storedState(row, 61_000, 60_000)).toEqual(newSession());
    expect(storedState(undefined, 0, 60_000)).toEqual(newSession());
  });

  it('starts afresh from a row it cannot read', () => {
    expect(storedState({ state: '{not json', updatedAt: 0 }, 1, 60_000)).toEqual(newSession());
    expect(storedState({ state: '{"region":"大连"}', updatedAt: 0 }, 1, 60_000)).toEqual(newSession());
  });
});

describe('dialogue states kept with the conversation', () => {
  it('are written by the turn, and another instance on the same store takes the follow-up', async () => {
    const store = new MemoryStore();
    const first = await instance(store);
    const answered = await ask(first, '大连异地就医备案怎么办理？');
    expect(answered.type).toBe('answer');
    const row = await store.getSession(answered.sessionId);
    expect(JSON.parse(row?.state ?? '{}')).toMatchObject({ region: '大连', topic: expect.objectContaining({ intent: answered.intent }) });
    // Another process (after a restart, or beside it) knows the topic: "and in 包头?" is the same question there.
    const second = await instance(store);
    const followUp = await ask(second, '那包头呢', answered.sessionId);
    expect(followUp).toMatchObject({ type: 'answer', intent: answered.intent });
    // … answered from another notice than 大连's: the city changed, the topic stayed.
    expect(followUp.citations[0].notice).not.toBe(answered.citations[0].notice);
    // Without the stored topic the follow-up alone is not that question.
    const alone = await ask(second, '那包头呢');
    expect(alone.intent).not.toBe(answered.intent);
  });

  it('are forgotten once idle past SESSION_TTL_MS', async () => {
    const store = new MemoryStore();
    const app = await instance(store, { SESSION_TTL_MS: '60000' });
    const answered = await ask(app, '大连异地就医备案怎么办理？');
    // The state as an idle session leaves it: written long ago.
    const row = await store.getSession(answered.sessionId);
    await store.putSession(answered.sessionId, row?.state as string, Date.now() - 61_000);
    const followUp = await ask(app, '那包头呢', answered.sessionId);
    expect(followUp.intent).not.toBe(answered.intent);
  });

  it('are pruned by the store once idle past the TTL, the others kept', async () => {
    const store = new MemoryStore();
    await store.putSession('old', stateJson(newSession()), 0);
    await store.putSession('new', stateJson(newSession()), 900);
    expect(await store.pruneSessions(500)).toBe(1);
    expect(await store.getSession('old')).toBeUndefined();
    expect(await store.getSession('new')).toBeDefined();
  });
});
