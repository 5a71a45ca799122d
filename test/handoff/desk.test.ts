import { describe, expect, it } from 'vitest';
import { botMaySpeak } from '../../src/handoff/machine.js';
import { deskWith } from './desk-helpers.js';

const ESTIMATE = 180_000;

describe('the handoff desk: queue and agents', () => {
  it('tells the user no agent is available when nobody is online, and gives the bot back', () => {
    const { store, ask, toSession } = deskWith();
    const result = ask('s1');
    expect(result).toMatchObject({ state: 'bot', position: null, estimatedWaitMs: null });
    expect(toSession('s1')).toEqual([{ to: 'session', sessionId: 's1', kind: 'unavailable', reason: 'no-agent' }]);
    expect(store.getConversation('s1')?.state).toBe('bot');
    expect(store.getHandoff(result.handoffId)).toMatchObject({ status: 'unavailable', endedAt: expect.any(Number) });
    expect(store.events('s1').map((e) => e.event)).toEqual(['handoff.requested', 'handoff.unavailable']);
  });

  it('counts an away agent as not available', () => {
    const { desk, ask } = deskWith();
    desk.register('a1', { capacity: 2, presence: 'away' });
    expect(ask('s1').state).toBe('bot');
  });

  it('assigns at once when an agent is free, and tells both sides', () => {
    const { desk, store, ask, sent } = deskWith();
    desk.register('a1', { capacity: 1 });
    expect(ask('s1')).toMatchObject({ state: 'agent', position: null });
    expect(sent.filter((n) => n.kind === 'assigned').map((n) => n.to)).toEqual(['session', 'agent']);
    expect(sent).toContainEqual(expect.objectContaining({ to: 'agent', agentId: 'a1', kind: 'assigned', sessionId: 's1' }));
    expect(store.getConversation('s1')).toMatchObject({ state: 'agent', agentId: 'a1' });
    expect(store.openHandoff('s1')).toMatchObject({ status: 'assigned', agentId: 'a1' });
    expect(botMaySpeak('agent')).toBe(false);
  });

  it('queues in order with estimates, and moves everyone up when an agent joins', () => {
    const { desk, ask, toSession, sent } = deskWith();
    desk.register('a1', { capacity: 1 });
    ask('s1');
    expect(ask('s2')).toMatchObject({ state: 'queued', position: 1, estimatedWaitMs: ESTIMATE });
    expect(ask('s3')).toMatchObject({ state: 'queued', position: 2, estimatedWaitMs: 2 * ESTIMATE });
    expect(toSession('s3')).toEqual([expect.objectContaining({ kind: 'queued', position: 2, estimatedWaitMs: 2 * ESTIMATE })]);
    expect(desk.queue().items.map((q) => [q.sessionId, q.position, q.reason])).toEqual([
      ['s2', 1, 'user-request'],
      ['s3', 2, 'user-request'],
    ]);
    desk.register('a2', { capacity: 1 });
    expect(toSession('s2').at(-1)).toMatchObject({ kind: 'assigned', agentId: 'a2' });
    // One waiting, two agents online: 180 s × 1 / 2.
    expect(toSession('s3').at(-1)).toEqual({
      to: 'session',
      sessionId: 's3',
      kind: 'position',
      position: 1,
      estimatedWaitMs: ESTIMATE / 2,
    });
    expect(sent.filter((n) => n.to === 'agents' && n.kind === 'queue').at(-1)).toMatchObject({
      items: [{ sessionId: 's3', position: 1 }],
      total: 1,
    });
  });

  it('estimates from the moving average of recent handle times', () => {
    const { desk, ask, advance } = deskWith();
    desk.register('a1', { capacity: 1 });
    ask('s1');
    advance(60_000);
    desk.resolve('a1', 's1', '已解答');
    ask('s2');
    advance(120_000);
    desk.returnToBot('a1', 's2');
    ask('s3');
    expect(ask('s4')).toMatchObject({ position: 1, estimatedWaitMs: 90_000 });
  });

  it('respects capacity and gives the next chat to the least busy agent', () => {
    const { desk, store, ask } = deskWith();
    desk.register('a1', { capacity: 2 });
    desk.register('a2', { capacity: 1 });
    for (const s of ['s1', 's2', 's3', 's4']) ask(s);
    expect(['s1', 's2', 's3'].map((s) => store.getConversation(s)?.agentId)).toEqual(['a1', 'a2', 'a1']);
    expect(store.getConversation('s4')?.state).toBe('queued');
    expect(desk.agents()).toEqual([
      { agentId: 'a1', presence: 'online', capacity: 2, chats: ['s1', 's3'] },
      { agentId: 'a2', presence: 'online', capacity: 1, chats: ['s2'] },
    ]);
    expect(() => desk.accept('a2', 's4')).toThrowError(expect.objectContaining({ code: 'HL_ERR_AGENT_BUSY', statusCode: 409 }));
    desk.resolve('a2', 's2', '已解答');
    expect(store.getConversation('s4')).toMatchObject({ state: 'agent', agentId: 'a2' });
  });

  it('assigns nothing to an away agent, until it is back online', () => {
    const { desk, store, ask } = deskWith();
    desk.register('a1', { capacity: 1 });
    desk.register('a2', { capacity: 3, presence: 'away' });
    ask('s1');
    ask('s2');
    expect(store.getConversation('s2')?.state).toBe('queued');
    desk.setPresence('a2', 'online');
    expect(store.getConversation('s2')).toMatchObject({ state: 'agent', agentId: 'a2' });
  });

  it('lets an agent accept a queued session explicitly, even while away', () => {
    const { desk, store, ask } = deskWith();
    desk.register('a1', { capacity: 1 });
    desk.register('a2', { capacity: 1, presence: 'away' });
    ask('s1');
    ask('s2');
    desk.accept('a2', 's2');
    expect(store.getConversation('s2')).toMatchObject({ state: 'agent', agentId: 'a2' });
    expect(() => desk.accept('a2', 's1')).toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_TRANSITION' }));
    expect(() => desk.accept('ghost', 's1')).toThrowError(expect.objectContaining({ code: 'HL_ERR_AGENT_UNKNOWN', statusCode: 404 }));
    expect(() => desk.accept('a1', 'nobody')).toThrowError(expect.objectContaining({ code: 'HL_ERR_SESSION_NOT_FOUND' }));
  });

  it('gives up on a session that waits past the limit, on tick or on the next operation', () => {
    const { desk, store, ask, advance, toSession } = deskWith({ waitLimitMs: 60_000 });
    desk.register('a1', { capacity: 1 });
    ask('s1');
    ask('s2');
    advance(30_000);
    ask('s3');
    advance(29_999);
    desk.tick();
    expect(store.getConversation('s2')?.state).toBe('queued');
    advance(1);
    desk.tick();
    expect(store.getConversation('s2')?.state).toBe('bot');
    expect(toSession('s2').at(-1)).toEqual({ to: 'session', sessionId: 's2', kind: 'unavailable', reason: 'wait-limit' });
    expect(toSession('s3').at(-1)).toMatchObject({ kind: 'position', position: 1 });
    expect(store.events('s2').at(-1)).toMatchObject({ event: 'handoff.unavailable', data: { reason: 'wait-limit' } });
    advance(30_000);
    ask('s4');
    expect(store.getConversation('s3')?.state).toBe('bot');
    expect(desk.queue().items.map((q) => q.sessionId)).toEqual(['s4']);
  });

  it('puts a released chat at the front of the queue, for another agent', () => {
    const { desk, store, ask, toSession } = deskWith();
    desk.register('a1', { capacity: 1 });
    ask('s1');
    ask('s2');
    desk.release('a1', 's1');
    expect(toSession('s1').find((n) => n.kind === 'requeued')).toMatchObject({ reason: 'released', position: 1 });
    // a1 is free again but released s1, so it takes s2; s1 waits at the front for someone else.
    expect(store.getConversation('s2')).toMatchObject({ state: 'agent', agentId: 'a1' });
    expect(desk.queue().items.map((q) => q.sessionId)).toEqual(['s1']);
    expect(store.openHandoff('s1')).toMatchObject({ status: 'pending', agentId: null, assignedAt: null });
    desk.register('a2', { capacity: 1 });
    expect(store.getConversation('s1')).toMatchObject({ state: 'agent', agentId: 'a2' });
    expect(() => desk.release('a1', 's1')).toThrowError(expect.objectContaining({ code: 'HL_ERR_AGENT_NOT_OWNER', statusCode: 403 }));
  });

  it('requeues a disconnected agent’s chats at the front, in order, and they wait for the next agent', () => {
    const { desk, store, ask, toSession } = deskWith();
    desk.register('a1', { capacity: 2 });
    ask('s1');
    ask('s2');
    ask('s3');
    expect(desk.unregister('a1')).toEqual(['s1', 's2']);
    expect(desk.queue().items.map((q) => q.sessionId)).toEqual(['s1', 's2', 's3']);
    expect(toSession('s1').at(-1)).toMatchObject({ kind: 'requeued', reason: 'disconnected', position: 1 });
    expect(toSession('s3').at(-1)).toMatchObject({ kind: 'position', position: 3 });
    expect(store.getConversation('s1')).toMatchObject({ state: 'queued', agentId: null });
    expect(desk.unregister('a1')).toEqual([]);
    desk.register('a2', { capacity: 3 });
    expect(desk.agents()[0]?.chats).toEqual(['s1', 's2', 's3']);
  });

  it('hands the user back to the bot, or closes with a resolution tag', () => {
    const { desk, store, ask, toSession } = deskWith();
    desk.register('a1', { capacity: 2 });
    ask('s1');
    ask('s2');
    expect(() => desk.returnToBot('a2', 's1')).toThrowError(expect.objectContaining({ code: 'HL_ERR_AGENT_NOT_OWNER' }));
    desk.returnToBot('a1', 's1');
    expect(store.getConversation('s1')).toMatchObject({ state: 'bot', agentId: null });
    expect(toSession('s1').at(-1)).toEqual({ to: 'session', sessionId: 's1', kind: 'returned', agentId: 'a1' });
    expect(() => desk.resolve('a1', 's2', '  ')).toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_REQUEST' }));
    desk.resolve('a1', 's2', ' 政策咨询-已解答 ');
    expect(store.getConversation('s2')?.state).toBe('closed');
    expect(store.listConversations('closed').map((c) => c.sessionId)).toEqual(['s2']);
    expect(toSession('s2').at(-1)).toEqual({
      to: 'session',
      sessionId: 's2',
      kind: 'resolved',
      agentId: 'a1',
      resolution: '政策咨询-已解答',
    });
    expect(desk.agents()[0]?.chats).toEqual([]);
  });

  it('takes a request for a person after a callback ticket or a closed chat (regression: HL_ERR_BAD_TRANSITION until the user wrote again)', () => {
    const { desk, store, say, clear } = deskWith();
    say('s1');
    desk.createTicket('s1', { phone: '13912345678', question: '请回电' });
    expect(store.getConversation('s1')?.state).toBe('ticket');
    desk.register('a1', { capacity: 1 });
    clear();
    expect(desk.request('s1', { reason: 'requested', channel: 'web' })).toMatchObject({ state: 'agent' });
    expect(
      store
        .events('s1')
        .map((e) => e.event)
        .slice(-3),
    ).toEqual(['conversation.resumed', 'handoff.requested', 'handoff.assigned']);
    desk.resolve('a1', 's1', 'answered');
    expect(store.getConversation('s1')?.state).toBe('closed');
    expect(desk.request('s1', { reason: 'requested', channel: 'web' })).toMatchObject({ state: 'agent' });
  });

  it('lets a waiting user cancel, and refuses to cancel what is not queued', () => {
    const { desk, store, ask, toSession } = deskWith();
    desk.register('a1', { capacity: 1 });
    ask('s1');
    ask('s2');
    desk.cancel('s2');
    expect(store.getConversation('s2')?.state).toBe('bot');
    expect(toSession('s2').at(-1)).toEqual({ to: 'session', sessionId: 's2', kind: 'cancelled' });
    expect(desk.queue()).toEqual({ items: [], total: 0 });
    expect(() => desk.cancel('s1')).toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_TRANSITION', statusCode: 409 }));
    expect(() => ask('s1')).toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_TRANSITION' }));
  });

  it('refuses a bad capacity', () => {
    const { desk } = deskWith();
    expect(() => desk.register('a1', { capacity: 0 })).toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_REQUEST' }));
    expect(desk.agents()).toEqual([]);
  });
});
