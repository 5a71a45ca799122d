/**
 * What the operators' desk is fed (issue 16): every turn the assistant could not answer well, and every poor
 * verdict, is recorded in the turn's (or the verdict's) own unit, redacted, with what retrieval found closest.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp, buildAssistant } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { Concierge } from '../../src/handoff/concierge.js';
import { KnowledgeStore } from '../../src/kb/store.js';
import { MemoryStore } from '../../src/store/memory.js';
import { deskWith } from '../handoff/desk-helpers.js';
import { projectAssistant } from '../helpers/assistant.js';
import { projectKnowledge } from '../helpers/knowledge.js';

async function appWith(env: Record<string, string> = {}): Promise<{ app: FastifyInstance; store: MemoryStore }> {
  const config = loadConfig(env);
  const knowledge = new KnowledgeStore(projectKnowledge);
  await knowledge.reload();
  const store = new MemoryStore();
  const app = await buildApp({ config, knowledge, assistant: await buildAssistant(config), store, logger: false });
  return { app, store };
}

const ask = async (app: FastifyInstance, text: string, sessionId?: string) =>
  (await app.inject({ method: 'POST', url: '/api/ask', payload: { text, ...(sessionId ? { sessionId } : {}) } })).json();

describe('misses recorded for the operators’ desk', () => {
  it('records a fallback, an unanswered handoff and a weak answer, redacted, with the closest clauses; a good answer is no miss', async () => {
    const { app, store } = await appWith({ OPS_LOW_CONFIDENCE: '0.5' });
    const good = await ask(app, '包头门诊报销比例多少');
    expect(good.type).toBe('answer');
    expect(await store.listMisses()).toEqual([]);

    await ask(app, '今天天气怎么样');
    await ask(app, '大连长期护理保险怎么申请，我电话13912345678');
    const weak = await ask(app, '大连异地就医备案怎么办理？');
    expect(weak.type).toBe('answer');
    expect(weak.confidence).toBeLessThan(0.5);
    // Candidates are for the desk, never on the wire.
    expect(weak).not.toHaveProperty('candidates');

    const [low, handoff, fallback] = await store.listMisses();
    expect(fallback).toMatchObject({ kind: 'fallback', channel: 'api', text: '今天天气怎么样', replyType: 'fallback', confidence: null });
    expect(handoff).toMatchObject({ kind: 'handoff', replyType: 'handoff', region: '大连', rule: 'unanswered', detail: 'unanswered' });
    expect(handoff?.text).toBe('大连长期护理保险怎么申请，我电话139****5678');
    expect(handoff?.candidates.length).toBeGreaterThan(0);
    expect(handoff?.candidates[0]).toMatchObject({ notice: 'dalian-2020-02-20', clause: expect.any(String), score: expect.any(Number) });
    // The closest clauses: at most three, one per clause, best first.
    const scores = handoff?.candidates.map((c) => c.score) ?? [];
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(new Set(handoff?.candidates.map((c) => `${c.notice}#${c.clause}`)).size).toBe(handoff?.candidates.length);
    expect(handoff?.candidates.length).toBeLessThanOrEqual(3);
    expect(low).toMatchObject({ kind: 'low_confidence', replyType: 'answer', region: '大连', confidence: weak.confidence });
    expect(low?.reply).toBe(weak.text);
    await app.close();
  });

  it('takes the floor for weak answers from OPS_LOW_CONFIDENCE', async () => {
    const { app, store } = await appWith({ OPS_LOW_CONFIDENCE: '0.1' });
    await ask(app, '大连异地就医备案怎么办理？');
    expect(await store.listMisses()).toEqual([]);
    await app.close();
  });

  it('records a 👎 with the question it answered and the clauses it cited; a 👍 is no miss', async () => {
    const { app, store } = await appWith();
    const first = await ask(app, '包头高血压能开几个月的药？');
    const second = await ask(app, '包头门诊报销比例多少', first.sessionId);
    const vote = (seq: number, vote: 'up' | 'down', extra: object = {}) =>
      app.inject({ method: 'POST', url: '/api/feedback', payload: { sessionId: first.sessionId, seq, vote, ...extra } });
    expect((await vote(second.seq, 'up')).statusCode).toBe(201);
    expect(await store.listMisses()).toEqual([]);
    expect((await vote(first.seq, 'down', { reason: 'wrong', comment: '打13912345678问过了不是这样' })).statusCode).toBe(201);
    const [miss] = await store.listMisses();
    expect(miss).toMatchObject({
      kind: 'down_vote',
      text: '包头高血压能开几个月的药？',
      reply: first.text,
      replyType: 'answer',
      region: '包头',
      intent: first.intent,
      detail: 'wrong',
      comment: '打139****5678问过了不是这样',
    });
    expect(miss?.candidates[0]).toMatchObject({ notice: first.citations[0].notice, clause: first.citations[0].clause });
    await app.close();
  });

  it('records a chat rated below 满意 with the question that brought it, in the rating’s unit', async () => {
    const { desk, store } = deskWith();
    const concierge = new Concierge(await projectAssistant(), desk);
    const kb = await projectKnowledge();
    await desk.register('a1', { capacity: 1 });
    for (const [sessionId, score] of [
      ['s-low', 2],
      ['s-ok', 4],
    ] as const) {
      await concierge.handle(kb, { sessionId, channel: 'web', text: '我要转人工' });
      await desk.resolve('a1', sessionId, 'answered');
      await concierge.rateChat(sessionId, 'web', { score, comment: '等太久' });
    }
    const misses = await store.listMisses();
    expect(misses).toHaveLength(1);
    expect(misses[0]).toMatchObject({ kind: 'low_rating', sessionId: 's-low', text: '我要转人工', detail: '2', comment: '等太久' });
    expect(misses[0]?.reply).toContain('坐席 a1');
  });
});
