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
  it('relays messages between user and agent and keeps the whole transcript', () => {
    const { desk, ask, sent } = deskWith();
    desk.register('a1', { capacity: 1 });
    const reply = { type: 'answer', text: '比例为70%', citations: [{ noticeId: 'baotou-2022-10-08', clause: '五' }] };
    desk.record({ sessionId: 's1', role: 'user', text: '门诊报销比例', channel: 'web', region: '包头' });
    desk.record({ sessionId: 's1', role: 'bot', text: '比例为70%', reply });
    ask('s1');
    const fromUser = desk.record({ sessionId: 's1', role: 'user', text: '还在吗' });
    expect(fromUser.state).toBe('agent');
    expect(botMaySpeak(fromUser.state)).toBe(false);
    expect(sent.at(-1)).toEqual({
      to: 'agent',
      agentId: 'a1',
      sessionId: 's1',
      kind: 'user-message',
      text: '还在吗',
      seq: fromUser.entry.seq,
    });
    const fromAgent = desk.record({ sessionId: 's1', role: 'agent', agentId: 'a1', text: '您好，我是人工客服' });
    expect(sent.at(-1)).toEqual({
      to: 'session',
      sessionId: 's1',
      kind: 'agent-message',
      agentId: 'a1',
      text: '您好，我是人工客服',
      seq: fromAgent.entry.seq,
      at: fromAgent.entry.at,
    });
    expect(() => desk.record({ sessionId: 's1', role: 'agent', agentId: 'a2', text: '插话' })).toThrowError(
      expect.objectContaining({ code: 'HL_ERR_AGENT_NOT_OWNER' }),
    );
    const transcript = desk.transcript('s1');
    expect(transcript.map((e) => [e.role, e.text])).toEqual([
      ['user', '门诊报销比例'],
      ['bot', '比例为70%'],
      ['user', '我要转人工'],
      ['user', '还在吗'],
      ['agent', '您好，我是人工客服'],
    ]);
    expect(transcript[1]?.reply).toEqual(reply);
    expect(desk.conversation('s1')).toMatchObject({ region: '包头', lastUserText: '还在吗' });
    expect(desk.transcript('s1', { limit: 1 }).map((e) => e.role)).toEqual(['agent']);
  });

  it('needs a channel to start a conversation', () => {
    const { desk } = deskWith();
    expect(() => desk.record({ sessionId: 'x', role: 'bot', text: '你好' })).toThrowError(
      expect.objectContaining({ code: 'HL_ERR_SESSION_NOT_FOUND', statusCode: 404 }),
    );
  });

  it('resumes a closed conversation with the bot when the user writes again', () => {
    const { desk, store, ask } = deskWith();
    desk.register('a1', { capacity: 1 });
    ask('s1');
    desk.resolve('a1', 's1', '已解答');
    const again = desk.record({ sessionId: 's1', role: 'user', text: '再问一个问题' });
    expect(again.state).toBe('bot');
    expect(store.events('s1').map((e) => `${e.from} --${e.event}--> ${e.to}`)).toEqual([
      'bot --handoff.requested--> queued',
      'queued --handoff.assigned--> agent',
      'agent --handoff.resolved--> closed',
      'closed --conversation.resumed--> bot',
    ]);
  });

  it('takes a callback request from the bot, normalises the phone and resumes when the user writes', () => {
    const { desk, store, say, sent } = deskWith();
    say('s1');
    const ticket = desk.createTicket('s1', { ...CALLBACK, region: '包头' });
    expect(ticket).toMatchObject({ id: 'T000001', phone: '13812345678', question: CALLBACK.question, region: '包头', status: 'open' });
    expect(store.getConversation('s1')?.state).toBe('ticket');
    expect(sent.at(-1)).toEqual({ to: 'agents', kind: 'ticket', change: 'created', ticket });
    expect(store.events('s1').at(-1)).toMatchObject({ event: 'ticket.created', from: 'bot', to: 'ticket', data: { ticketId: 'T000001' } });
    expect(say('s1', '谢谢').state).toBe('bot');
  });

  it('takes a callback request from the queue: the session leaves it and the others move up', () => {
    const { desk, store, ask, toSession } = deskWith();
    desk.register('a1', { capacity: 1 });
    ask('s1');
    ask('s2');
    ask('s3');
    const ticket = desk.createTicket('s2', CALLBACK);
    expect(desk.queue().items.map((q) => q.sessionId)).toEqual(['s3']);
    expect(toSession('s3').at(-1)).toMatchObject({ kind: 'position', position: 1 });
    const handoffId = store.events('s2').find((e) => e.event === 'handoff.requested')?.data?.handoffId as number;
    expect(store.getHandoff(handoffId)).toMatchObject({ status: 'cancelled', resolution: `ticket ${ticket.id}` });
    expect(() => desk.createTicket('s1', CALLBACK)).toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_TRANSITION' }));
  });

  it('refuses a bad phone or question and changes nothing', () => {
    const { desk, store, ask } = deskWith();
    desk.register('a1', { capacity: 1 });
    ask('s1');
    ask('s2');
    expect(() => desk.createTicket('s2', { ...CALLBACK, phone: '12345' })).toThrowError(
      expect.objectContaining({ code: 'HL_ERR_BAD_PHONE', statusCode: 400 }),
    );
    expect(() => desk.createTicket('s2', { ...CALLBACK, question: '   ' })).toThrowError(
      expect.objectContaining({ code: 'HL_ERR_BAD_TICKET' }),
    );
    expect(() => desk.createTicket('s2', { ...CALLBACK, question: '问'.repeat(501) })).toThrowError(
      expect.objectContaining({ code: 'HL_ERR_BAD_TICKET' }),
    );
    expect(desk.createTicket('s2', { ...CALLBACK, question: '问'.repeat(500) }).question).toHaveLength(500);
    expect(store.listTickets()).toHaveLength(1);
  });

  it('lets one agent claim a ticket, refuses a second claim and closes it with a resolution', () => {
    const { desk, store, say, sent } = deskWith();
    say('s1');
    const { id } = desk.createTicket('s1', CALLBACK);
    expect(desk.claimTicket('a1', id)).toMatchObject({ status: 'claimed', claimedBy: 'a1' });
    expect(() => desk.claimTicket('a2', id)).toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_TRANSITION', statusCode: 409 }));
    expect(() => desk.closeTicket('a2', id, '已回电')).toThrowError(expect.objectContaining({ code: 'HL_ERR_AGENT_NOT_OWNER' }));
    expect(() => desk.releaseTicket('a2', id)).toThrowError(expect.objectContaining({ code: 'HL_ERR_AGENT_NOT_OWNER' }));
    expect(() => desk.closeTicket('a1', id, '')).toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_TICKET' }));
    expect(desk.releaseTicket('a1', id)).toMatchObject({ status: 'open', claimedBy: null });
    desk.claimTicket('a2', id);
    expect(desk.closeTicket('a2', id, '已回电说明备案材料')).toMatchObject({ status: 'closed', resolution: '已回电说明备案材料' });
    expect(desk.listTickets('closed').map((t) => t.id)).toEqual([id]);
    expect(sent.filter((n) => n.to === 'agents' && n.kind === 'ticket').map((n) => n.kind === 'ticket' && n.change)).toEqual([
      'created',
      'claimed',
      'released',
      'claimed',
      'closed',
    ]);
    expect(
      store
        .events('s1')
        .filter((e) => e.event.startsWith('ticket.'))
        .map((e) => `${e.from}>${e.to}`),
    ).toEqual(['bot>ticket', 'open>claimed', 'claimed>open', 'open>claimed', 'claimed>closed']);
    expect(() => desk.claimTicket('a1', 'T404404')).toThrowError(expect.objectContaining({ code: 'HL_ERR_TICKET_NOT_FOUND' }));
  });

  it('lists tickets newest first and closes an unclaimed one', () => {
    const { desk, say } = deskWith();
    say('s1');
    say('s2');
    const first = desk.createTicket('s1', CALLBACK);
    const second = desk.createTicket('s2', { ...CALLBACK, phone: '0471-6970828' });
    expect(desk.listTickets('open').map((t) => t.id)).toEqual([second.id, first.id]);
    expect(desk.closeTicket('a9', first.id, '重复').status).toBe('closed');
    expect(desk.getTicket(second.id)?.phone).toBe('04716970828');
  });
});

describe('the handoff desk over time', () => {
  it('delivers notifications only after the change has committed, and a throwing listener does not undo it', () => {
    const { desk, store, say } = deskWith();
    say('s1');
    desk.subscribe(() => {
      throw new Error('socket gone');
    });
    expect(() => desk.request('s1', { reason: 'user-request', channel: 'web' })).toThrow('socket gone');
    expect(store.getConversation('s1')?.state).toBe('bot');
    expect(store.events('s1').map((e) => e.event)).toEqual(['handoff.requested', 'handoff.unavailable']);
  });

  it('after a restart, keeps the queue and puts chats that were with an agent at its front', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hl-desk-'));
    try {
      const before = deskWith({ store: new SqliteStore({ dataDir: dir }) });
      before.desk.register('a1', { capacity: 1 });
      before.ask('s1');
      before.ask('s2');
      before.store.close();

      const after = deskWith({ store: new SqliteStore({ dataDir: dir }) });
      expect(after.desk.queue().items.map((q) => q.sessionId)).toEqual(['s1', 's2']);
      expect(after.store.getConversation('s1')).toMatchObject({ state: 'queued', agentId: null });
      expect(after.store.events('s1').at(-1)).toMatchObject({ event: 'handoff.requeued', data: { agentId: 'a1', reason: 'disconnected' } });
      after.desk.register('a2', { capacity: 2 });
      expect(after.desk.agents()[0]?.chats).toEqual(['s1', 's2']);
      expect(after.desk.transcript('s2').map((e) => e.text)).toEqual(['我要转人工']);
      after.store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes a new desk over an empty store without notifying anyone', () => {
    const { sent, desk } = deskWith();
    expect(sent).toEqual([]);
    expect(desk).toBeInstanceOf(HandoffDesk);
    expect(desk.config.waitLimitMs).toBe(600_000);
  });
});
