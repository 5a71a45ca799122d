import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HandoffDesk } from '../../src/handoff/desk.js';
import { botMaySpeak } from '../../src/handoff/machine.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { deskWith } from './desk-helpers.js';

const CALLBACK = { phone: '138 1234 5678', question: '异地就医备案需要什么材料？' };

describe('the handoff desk: messages, tickets and resuming', () => {
  it('relays messages between user and agent and keeps the whole transcript', async () => {
    const { desk, ask, sent } = deskWith();
    await desk.register('a1', { capacity: 1 });
    const reply = { type: 'answer', text: '比例为70%', citations: [{ noticeId: 'baotou-2022-10-08', clause: '五' }] };
    await desk.record({ sessionId: 's1', role: 'user', text: '门诊报销比例', channel: 'web', region: '包头' });
    await desk.record({ sessionId: 's1', role: 'bot', text: '比例为70%', reply });
    await ask('s1');
    const fromUser = await desk.record({ sessionId: 's1', role: 'user', text: '还在吗' });
    expect(fromUser.state).toBe('agent');
    expect(botMaySpeak(fromUser.state)).toBe(false);
    expect(sent.at(-1)).toEqual({
      to: 'agent',
      agentId: 'a1',
      sessionId: 's1',
      kind: 'user-message',
      text: '还在吗',
      seq: fromUser.entry.seq,
      region: '包头',
    });
    const fromAgent = await desk.record({ sessionId: 's1', role: 'agent', agentId: 'a1', text: '您好，我是人工客服' });
    expect(sent.at(-1)).toEqual({
      to: 'session',
      sessionId: 's1',
      channel: 'web',
      region: '包头',
      state: 'agent',
      kind: 'agent-message',
      agentId: 'a1',
      text: '您好，我是人工客服',
      seq: fromAgent.entry.seq,
      at: fromAgent.entry.at,
    });
    await expect(desk.record({ sessionId: 's1', role: 'agent', agentId: 'a2', text: '插话' })).rejects.toThrowError(
      expect.objectContaining({ code: 'HL_ERR_AGENT_NOT_OWNER' }),
    );
    const transcript = await desk.transcript('s1');
    expect(transcript.map((e) => [e.role, e.text])).toEqual([
      ['user', '门诊报销比例'],
      ['bot', '比例为70%'],
      ['user', '我要转人工'],
      ['user', '还在吗'],
      ['agent', '您好，我是人工客服'],
    ]);
    expect(transcript[1]?.reply).toEqual(reply);
    expect(await desk.conversation('s1')).toMatchObject({ region: '包头', lastUserText: '还在吗' });
    expect((await desk.transcript('s1', { limit: 1 })).map((e) => e.role)).toEqual(['agent']);
  });

  it('needs a channel to start a conversation', async () => {
    const { desk } = deskWith();
    await expect(desk.record({ sessionId: 'x', role: 'bot', text: '你好' })).rejects.toThrowError(
      expect.objectContaining({ code: 'HL_ERR_SESSION_NOT_FOUND', statusCode: 404 }),
    );
  });

  it('resumes a closed conversation with the bot when the user writes again', async () => {
    const { desk, store, ask } = deskWith();
    await desk.register('a1', { capacity: 1 });
    await ask('s1');
    await desk.resolve('a1', 's1', '已解答');
    const again = await desk.record({ sessionId: 's1', role: 'user', text: '再问一个问题' });
    expect(again.state).toBe('bot');
    expect((await store.events('s1')).map((e) => `${e.from} --${e.event}--> ${e.to}`)).toEqual([
      'bot --handoff.requested--> queued',
      'queued --handoff.assigned--> agent',
      'agent --handoff.resolved--> closed',
      'closed --conversation.resumed--> bot',
    ]);
  });

  it('takes a callback request from the bot, normalises the phone and resumes when the user writes', async () => {
    const { desk, store, say, sent } = deskWith();
    await say('s1');
    const ticket = await desk.createTicket('s1', { ...CALLBACK, region: '包头' });
    expect(ticket).toMatchObject({ id: 'T000001', phone: '13812345678', question: CALLBACK.question, region: '包头', status: 'open' });
    expect((await store.getConversation('s1'))?.state).toBe('ticket');
    expect(sent.at(-1)).toEqual({ to: 'agents', kind: 'ticket', change: 'created', ticket });
    expect((await store.events('s1')).at(-1)).toMatchObject({
      event: 'ticket.created',
      from: 'bot',
      to: 'ticket',
      data: { ticketId: 'T000001' },
    });
    expect((await say('s1', '谢谢')).state).toBe('bot');
  });

  it('takes a callback request from the queue: the session leaves it and the others move up', async () => {
    const { desk, store, ask, toSession } = deskWith();
    await desk.register('a1', { capacity: 1 });
    await ask('s1');
    await ask('s2');
    await ask('s3');
    const ticket = await desk.createTicket('s2', CALLBACK);
    expect(desk.queue().items.map((q) => q.sessionId)).toEqual(['s3']);
    expect(toSession('s3').at(-1)).toMatchObject({ kind: 'position', position: 1 });
    const handoffId = (await store.events('s2')).find((e) => e.event === 'handoff.requested')?.data?.handoffId as number;
    expect(await store.getHandoff(handoffId)).toMatchObject({ status: 'cancelled', resolution: `ticket ${ticket.id}` });
    await expect(desk.createTicket('s1', CALLBACK)).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_TRANSITION' }));
  });

  it('refuses a bad phone or question and changes nothing', async () => {
    const { desk, store, ask } = deskWith();
    await desk.register('a1', { capacity: 1 });
    await ask('s1');
    await ask('s2');
    await expect(desk.createTicket('s2', { ...CALLBACK, phone: '12345' })).rejects.toThrowError(
      expect.objectContaining({ code: 'HL_ERR_BAD_PHONE', statusCode: 400 }),
    );
    await expect(desk.createTicket('s2', { ...CALLBACK, question: '   ' })).rejects.toThrowError(
      expect.objectContaining({ code: 'HL_ERR_BAD_TICKET' }),
    );
    await expect(desk.createTicket('s2', { ...CALLBACK, question: '问'.repeat(501) })).rejects.toThrowError(
      expect.objectContaining({ code: 'HL_ERR_BAD_TICKET' }),
    );
    expect((await desk.createTicket('s2', { ...CALLBACK, question: '问'.repeat(500) })).question).toHaveLength(500);
    expect(await store.listTickets()).toHaveLength(1);
  });

  it('lets one agent claim a ticket, refuses a second claim and closes it with a resolution', async () => {
    const { desk, store, say, sent } = deskWith();
    await say('s1');
    const { id } = await desk.createTicket('s1', CALLBACK);
    expect(await desk.claimTicket('a1', id)).toMatchObject({ status: 'claimed', claimedBy: 'a1' });
    await expect(desk.claimTicket('a2', id)).rejects.toThrowError(
      expect.objectContaining({ code: 'HL_ERR_BAD_TRANSITION', statusCode: 409 }),
    );
    await expect(desk.closeTicket('a2', id, '已回电')).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_AGENT_NOT_OWNER' }));
    await expect(desk.releaseTicket('a2', id)).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_AGENT_NOT_OWNER' }));
    // A bad resolution rejects the promise, as every other refusal does (it threw at the call before).
    await expect(desk.closeTicket('a1', id, '')).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_TICKET' }));
    expect(await desk.releaseTicket('a1', id)).toMatchObject({ status: 'open', claimedBy: null });
    await desk.claimTicket('a2', id);
    expect(await desk.closeTicket('a2', id, '已回电说明备案材料')).toMatchObject({ status: 'closed', resolution: '已回电说明备案材料' });
    expect((await desk.listTickets('closed')).map((t) => t.id)).toEqual([id]);
    expect(sent.filter((n) => n.to === 'agents' && n.kind === 'ticket').map((n) => n.kind === 'ticket' && n.change)).toEqual([
      'created',
      'claimed',
      'released',
      'claimed',
      'closed',
    ]);
    expect((await store.events('s1')).filter((e) => e.event.startsWith('ticket.')).map((e) => `${e.from}>${e.to}`)).toEqual([
      'bot>ticket',
      'open>claimed',
      'claimed>open',
      'open>claimed',
      'claimed>closed',
    ]);
    await expect(desk.claimTicket('a1', 'T404404')).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_TICKET_NOT_FOUND' }));
  });

  it('lists tickets newest first and closes an unclaimed one', async () => {
    const { desk, say } = deskWith();
    await say('s1');
    await say('s2');
    const first = await desk.createTicket('s1', CALLBACK);
    const second = await desk.createTicket('s2', { ...CALLBACK, phone: '0471-6970828' });
    expect((await desk.listTickets('open')).map((t) => t.id)).toEqual([second.id, first.id]);
    expect((await desk.closeTicket('a9', first.id, '重复')).status).toBe('closed');
    expect((await desk.getTicket(second.id))?.phone).toBe('04716970828');
  });
});

describe('the handoff desk over time', () => {
  it('delivers notifications only after the change has committed, and a throwing listener does not undo it', async () => {
    const { desk, store, say } = deskWith();
    await say('s1');
    desk.subscribe(() => {
      throw new Error('socket gone');
    });
    await expect(desk.request('s1', { reason: 'user-request', channel: 'web' })).rejects.toThrow('socket gone');
    expect((await store.getConversation('s1'))?.state).toBe('bot');
    expect((await store.events('s1')).map((e) => e.event)).toEqual(['handoff.requested', 'handoff.unavailable']);
  });

  it('after a restart, keeps the queue and puts chats that were with an agent at its front', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hl-desk-'));
    try {
      const before = deskWith({ store: new SqliteStore({ dataDir: dir }) });
      await before.desk.register('a1', { capacity: 1 });
      await before.ask('s1');
      await before.ask('s2');
      await before.store.close();

      const after = deskWith({ store: new SqliteStore({ dataDir: dir }) });
      // The recovery is no longer the constructor's: the app awaits open() once before using the desk.
      expect(after.desk.queue().total).toBe(0);
      await after.desk.open();
      expect(after.desk.queue().items.map((q) => q.sessionId)).toEqual(['s1', 's2']);
      expect(await after.store.getConversation('s1')).toMatchObject({ state: 'queued', agentId: null });
      expect((await after.store.events('s1')).at(-1)).toMatchObject({
        event: 'handoff.requeued',
        data: { agentId: 'a1', reason: 'disconnected' },
      });
      await after.desk.register('a2', { capacity: 2 });
      expect(after.desk.agents()[0]?.chats).toEqual(['s1', 's2']);
      expect((await after.desk.transcript('s2')).map((e) => e.text)).toEqual(['我要转人工']);
      await after.store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes a new desk over an empty store without notifying anyone', async () => {
    const { sent, desk, store } = deskWith();
    expect(sent).toEqual([]);
    expect(desk).toBeInstanceOf(HandoffDesk);
    expect(desk.config.waitLimitMs).toBe(600_000);
    // The restart recovery (formerly the constructor's, run before anyone could listen) finds nothing to requeue and
    // tells no session; as any first run of a desk, it sends agents the queue, empty (the app listens only after open()).
    await desk.open();
    expect(sent).toEqual([{ to: 'agents', kind: 'queue', items: [], total: 0 }]);
    expect(desk.queue()).toEqual({ items: [], total: 0 });
    expect(await store.listConversations('queued')).toEqual([]);
  });
});
