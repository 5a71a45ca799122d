import { describe, expect, it } from 'vitest';
import { botMaySpeak } from '../../src/handoff/machine.js';
import { deskWith } from './desk-helpers.js';

const ESTIMATE = 180_000;

describe('the handoff desk: queue and agents', () => {
  it('tells the user no agent is available when nobody is online, and gives the bot back', async () => {
    const { store, ask, toSession } = deskWith();
    const result = await ask('s1');
    expect(result).toMatchObject({ state: 'bot', position: null, estimatedWaitMs: null });
    expect(toSession('s1')).toEqual([
      { to: 'session', sessionId: 's1', channel: 'web', region: null, state: 'bot', kind: 'unavailable', reason: 'no-agent' },
    ]);
    expect((await store.getConversation('s1'))?.state).toBe('bot');
    expect(await store.getHandoff(result.handoffId)).toMatchObject({ status: 'unavailable', endedAt: expect.any(Number) });
    expect((await store.events('s1')).map((e) => e.event)).toEqual(['handoff.requested', 'handoff.unavailable']);
  });

  it('counts an away agent as not available', async () => {
    const { desk, ask } = deskWith();
    await desk.register('a1', { capacity: 2, presence: 'away' });
    expect((await ask('s1')).state).toBe('bot');
  });

  it('assigns at once when an agent is free, and tells both sides', async () => {
    const { desk, store, ask, sent } = deskWith();
    await desk.register('a1', { capacity: 1 });
    expect(await ask('s1')).toMatchObject({ state: 'agent', position: null });
    expect(sent.filter((n) => n.kind === 'assigned').map((n) => n.to)).toEqual(['session', 'agent']);
    expect(sent).toContainEqual(expect.objectContaining({ to: 'agent', agentId: 'a1', kind: 'assigned', sessionId: 's1' }));
    expect(await store.getConversation('s1')).toMatchObject({ state: 'agent', agentId: 'a1' });
    expect(await store.openHandoff('s1')).toMatchObject({ status: 'assigned', agentId: 'a1' });
    expect(botMaySpeak('agent')).toBe(false);
  });

  it('queues in order with estimates, and moves everyone up when an agent joins', async () => {
    const { desk, ask, toSession, sent } = deskWith();
    await desk.register('a1', { capacity: 1 });
    await ask('s1');
    expect(await ask('s2')).toMatchObject({ state: 'queued', position: 1, estimatedWaitMs: ESTIMATE });
    expect(await ask('s3')).toMatchObject({ state: 'queued', position: 2, estimatedWaitMs: 2 * ESTIMATE });
    expect(toSession('s3')).toEqual([expect.objectContaining({ kind: 'queued', position: 2, estimatedWaitMs: 2 * ESTIMATE })]);
    expect(desk.queue().items.map((q) => [q.sessionId, q.position, q.reason])).toEqual([
      ['s2', 1, 'user-request'],
      ['s3', 2, 'user-request'],
    ]);
    await desk.register('a2', { capacity: 1 });
    expect(toSession('s2').at(-1)).toMatchObject({ kind: 'assigned', agentId: 'a2' });
    // One waiting, two agents online: 180 s × 1 / 2.
    expect(toSession('s3').at(-1)).toEqual({
      to: 'session',
      sessionId: 's3',
      channel: 'web',
      region: null,
      state: 'queued',
      kind: 'position',
      position: 1,
      estimatedWaitMs: ESTIMATE / 2,
    });
    expect(sent.filter((n) => n.to === 'agents' && n.kind === 'queue').at(-1)).toMatchObject({
      items: [{ sessionId: 's3', position: 1 }],
      total: 1,
    });
  });

  it('estimates from the moving average of recent handle times', async () => {
    const { desk, ask, advance } = deskWith();
    await desk.register('a1', { capacity: 1 });
    await ask('s1');
    advance(60_000);
    await desk.resolve('a1', 's1', '已解答');
    await ask('s2');
    advance(120_000);
    await desk.returnToBot('a1', 's2');
    await ask('s3');
    expect(await ask('s4')).toMatchObject({ position: 1, estimatedWaitMs: 90_000 });
  });

  it('respects capacity and gives the next chat to the least busy agent', async () => {
    const { desk, store, ask } = deskWith();
    await desk.register('a1', { capacity: 2 });
    await desk.register('a2', { capacity: 1 });
    for (const s of ['s1', 's2', 's3', 's4']) await ask(s);
    expect(await Promise.all(['s1', 's2', 's3'].map(async (s) => (await store.getConversation(s))?.agentId))).toEqual(['a1', 'a2', 'a1']);
    expect((await store.getConversation('s4'))?.state).toBe('queued');
    expect(desk.agents()).toEqual([
      { agentId: 'a1', presence: 'online', capacity: 2, chats: ['s1', 's3'], instance: null },
      { agentId: 'a2', presence: 'online', capacity: 1, chats: ['s2'], instance: null },
    ]);
    await expect(desk.accept('a2', 's4')).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_AGENT_BUSY', statusCode: 409 }));
    await desk.resolve('a2', 's2', '已解答');
    expect(await store.getConversation('s4')).toMatchObject({ state: 'agent', agentId: 'a2' });
  });

  it('assigns nothing to an away agent, until it is back online', async () => {
    const { desk, store, ask } = deskWith();
    await desk.register('a1', { capacity: 1 });
    await desk.register('a2', { capacity: 3, presence: 'away' });
    await ask('s1');
    await ask('s2');
    expect((await store.getConversation('s2'))?.state).toBe('queued');
    await desk.setPresence('a2', 'online');
    expect(await store.getConversation('s2')).toMatchObject({ state: 'agent', agentId: 'a2' });
  });

  it('lets an agent accept a queued session explicitly, even while away', async () => {
    const { desk, store, ask } = deskWith();
    await desk.register('a1', { capacity: 1 });
    await desk.register('a2', { capacity: 1, presence: 'away' });
    await ask('s1');
    await ask('s2');
    await desk.accept('a2', 's2');
    expect(await store.getConversation('s2')).toMatchObject({ state: 'agent', agentId: 'a2' });
    await expect(desk.accept('a2', 's1')).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_TRANSITION' }));
    await expect(desk.accept('ghost', 's1')).rejects.toThrowError(
      expect.objectContaining({ code: 'HL_ERR_AGENT_UNKNOWN', statusCode: 404 }),
    );
    await expect(desk.accept('a1', 'nobody')).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_SESSION_NOT_FOUND' }));
  });

  it('gives up on a session that waits past the limit, on tick or on the next operation', async () => {
    const { desk, store, ask, advance, toSession } = deskWith({ waitLimitMs: 60_000 });
    await desk.register('a1', { capacity: 1 });
    await ask('s1');
    await ask('s2');
    advance(30_000);
    await ask('s3');
    advance(29_999);
    await desk.tick();
    expect((await store.getConversation('s2'))?.state).toBe('queued');
    advance(1);
    await desk.tick();
    expect((await store.getConversation('s2'))?.state).toBe('bot');
    expect(toSession('s2').at(-1)).toEqual({
      to: 'session',
      sessionId: 's2',
      channel: 'web',
      region: null,
      state: 'bot',
      kind: 'unavailable',
      reason: 'wait-limit',
    });
    expect(toSession('s3').at(-1)).toMatchObject({ kind: 'position', position: 1 });
    expect((await store.events('s2')).at(-1)).toMatchObject({ event: 'handoff.unavailable', data: { reason: 'wait-limit' } });
    advance(30_000);
    await ask('s4');
    expect((await store.getConversation('s3'))?.state).toBe('bot');
    expect(desk.queue().items.map((q) => q.sessionId)).toEqual(['s4']);
  });

  it('puts a released chat at the front of the queue, for another agent', async () => {
    const { desk, store, ask, toSession } = deskWith();
    await desk.register('a1', { capacity: 1 });
    await ask('s1');
    await ask('s2');
    await desk.release('a1', 's1');
    expect(toSession('s1').find((n) => n.kind === 'requeued')).toMatchObject({ reason: 'released', position: 1 });
    // a1 is free again but released s1, so it takes s2; s1 waits at the front for someone else.
    expect(await store.getConversation('s2')).toMatchObject({ state: 'agent', agentId: 'a1' });
    expect(desk.queue().items.map((q) => q.sessionId)).toEqual(['s1']);
    expect(await store.openHandoff('s1')).toMatchObject({ status: 'pending', agentId: null, assignedAt: null });
    await desk.register('a2', { capacity: 1 });
    expect(await store.getConversation('s1')).toMatchObject({ state: 'agent', agentId: 'a2' });
    await expect(desk.release('a1', 's1')).rejects.toThrowError(
      expect.objectContaining({ code: 'HL_ERR_AGENT_NOT_OWNER', statusCode: 403 }),
    );
  });

  it('requeues a disconnected agent’s chats at the front, in order, and they wait for the next agent', async () => {
    const { desk, store, ask, toSession } = deskWith();
    await desk.register('a1', { capacity: 2 });
    await ask('s1');
    await ask('s2');
    await ask('s3');
    expect(await desk.unregister('a1')).toEqual(['s1', 's2']);
    expect(desk.queue().items.map((q) => q.sessionId)).toEqual(['s1', 's2', 's3']);
    expect(toSession('s1').at(-1)).toMatchObject({ kind: 'requeued', reason: 'disconnected', position: 1 });
    expect(toSession('s3').at(-1)).toMatchObject({ kind: 'position', position: 3 });
    expect(await store.getConversation('s1')).toMatchObject({ state: 'queued', agentId: null });
    expect(await desk.unregister('a1')).toEqual([]);
    await desk.register('a2', { capacity: 3 });
    expect(desk.agents()[0]?.chats).toEqual(['s1', 's2', 's3']);
  });

  it('hands the user back to the bot, or closes with a resolution tag', async () => {
    const { desk, store, ask, toSession } = deskWith();
    await desk.register('a1', { capacity: 2 });
    await ask('s1');
    await ask('s2');
    await expect(desk.returnToBot('a2', 's1')).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_AGENT_NOT_OWNER' }));
    await desk.returnToBot('a1', 's1');
    expect(await store.getConversation('s1')).toMatchObject({ state: 'bot', agentId: null });
    expect(toSession('s1').at(-1)).toEqual({
      to: 'session',
      sessionId: 's1',
      channel: 'web',
      region: null,
      state: 'bot',
      kind: 'returned',
      agentId: 'a1',
    });
    await expect(desk.resolve('a1', 's2', '  ')).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_REQUEST' }));
    await desk.resolve('a1', 's2', ' 政策咨询-已解答 ');
    expect((await store.getConversation('s2'))?.state).toBe('closed');
    expect((await store.listConversations('closed')).map((c) => c.sessionId)).toEqual(['s2']);
    expect(toSession('s2').at(-1)).toEqual({
      to: 'session',
      sessionId: 's2',
      channel: 'web',
      region: null,
      state: 'closed',
      kind: 'resolved',
      agentId: 'a1',
      resolution: '政策咨询-已解答',
    });
    expect(desk.agents()[0]?.chats).toEqual([]);
  });

  it('takes a request for a person after a callback ticket or a closed chat (regression: HL_ERR_BAD_TRANSITION until the user wrote again)', async () => {
    const { desk, store, say, clear } = deskWith();
    await say('s1');
    await desk.createTicket('s1', { phone: '13912345678', question: '请回电' });
    expect((await store.getConversation('s1'))?.state).toBe('ticket');
    await desk.register('a1', { capacity: 1 });
    clear();
    expect(await desk.request('s1', { reason: 'requested', channel: 'web' })).toMatchObject({ state: 'agent' });
    expect((await store.events('s1')).map((e) => e.event).slice(-3)).toEqual([
      'conversation.resumed',
      'handoff.requested',
      'handoff.assigned',
    ]);
    await desk.resolve('a1', 's1', 'answered');
    expect((await store.getConversation('s1'))?.state).toBe('closed');
    expect(await desk.request('s1', { reason: 'requested', channel: 'web' })).toMatchObject({ state: 'agent' });
  });

  it('lets a waiting user cancel, and refuses to cancel what is not queued', async () => {
    const { desk, store, ask, toSession } = deskWith();
    await desk.register('a1', { capacity: 1 });
    await ask('s1');
    await ask('s2');
    await desk.cancel('s2');
    expect((await store.getConversation('s2'))?.state).toBe('bot');
    expect(toSession('s2').at(-1)).toEqual({
      to: 'session',
      sessionId: 's2',
      channel: 'web',
      region: null,
      state: 'bot',
      kind: 'cancelled',
    });
    expect(desk.queue()).toEqual({ items: [], total: 0 });
    await expect(desk.cancel('s1')).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_TRANSITION', statusCode: 409 }));
    await expect(ask('s1')).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_TRANSITION' }));
  });

  it('refuses a bad capacity', async () => {
    const { desk } = deskWith();
    await expect(desk.register('a1', { capacity: 0 })).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_REQUEST' }));
    expect(desk.agents()).toEqual([]);
  });
});
