/**
 * One behaviour suite for both stores: what the desk relies on holds in memory and in SQLite alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CoalescingStore, type Conversation, MemoryStore, openStore, SqliteStore, type Store } from '../../src/store/index.js';

const dirs: string[] = [];
const stores: Store[] = [];

function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hl-store-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const KINDS = [
  ['memory', () => new MemoryStore()],
  ['sqlite', () => new SqliteStore({ dataDir: tmp() })],
  // What the service runs: a turn's reads and writes coalesced in front of SQLite (issue 14).
  ['coalescing (SQLite)', () => new CoalescingStore(new SqliteStore({ dataDir: tmp() }))],
] as const;

/** The next turn of the event loop: a group commit has settled. */
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

function conversation(sessionId: string, patch: Partial<Conversation> = {}): Conversation {
  const base: Conversation = {
    sessionId,
    channel: 'web',
    region: null,
    state: 'bot',
    agentId: null,
    queuedAt: null,
    createdAt: 1000,
    updatedAt: 1000,
    lastUserText: null,
  };
  return { ...base, ...patch };
}

describe.each(KINDS)('the %s store', (_kind, make) => {
  function open(): Store {
    const store = make();
    stores.push(store);
    return store;
  }

  it('keeps a conversation, replaces it on upsert and hands out copies', () => {
    const s = open();
    expect(s.getConversation('s1')).toBeUndefined();
    s.putConversation(conversation('s1', { region: '包头', lastUserText: '门诊报销比例' }));
    s.putConversation(conversation('s1', { region: '包头', state: 'queued', queuedAt: 2000, updatedAt: 2000 }));
    const got = s.getConversation('s1') as Conversation;
    expect(got).toEqual(conversation('s1', { region: '包头', state: 'queued', queuedAt: 2000, updatedAt: 2000 }));
    got.state = 'agent';
    expect(s.getConversation('s1')?.state).toBe('queued');
  });

  it('lists conversations in a state, longest waiting first', () => {
    const s = open();
    s.putConversation(conversation('late', { state: 'queued', queuedAt: 5000, createdAt: 100 }));
    s.putConversation(conversation('early', { state: 'queued', queuedAt: 3000, createdAt: 900 }));
    s.putConversation(conversation('chatting', { state: 'bot' }));
    expect(s.listConversations('queued').map((c) => c.sessionId)).toEqual(['early', 'late']);
    expect(s.listConversations('bot').map((c) => c.sessionId)).toEqual(['chatting']);
    expect(s.listConversations('agent')).toEqual([]);
  });

  it('numbers transcript entries in increasing order and keeps the reply JSON with its citations', () => {
    const s = open();
    const reply = { type: 'answer', citations: [{ noticeId: 'baotou-2022-10-08', clause: '五', quote: '报销比例为70%' }], confidence: 0.9 };
    const a = s.appendTranscript({ sessionId: 's1', role: 'user', text: '报销比例是多少', at: 1 });
    s.appendTranscript({ sessionId: 'other', role: 'user', text: '你好', at: 2 });
    const b = s.appendTranscript({ sessionId: 's1', role: 'bot', text: '70%', reply, at: 3 });
    const c = s.appendTranscript({ sessionId: 's1', role: 'agent', text: '我是人工客服', agentId: 'a1', at: 4 });
    expect(b.seq).toBeGreaterThan(a.seq);
    expect(c.seq).toBeGreaterThan(b.seq);
    const all = s.transcript('s1');
    expect(all).toEqual([a, b, c]);
    expect(all[0]).not.toHaveProperty('reply');
    expect(all[1]?.reply).toEqual(reply);
    expect(all[2]).toMatchObject({ role: 'agent', agentId: 'a1' });
    expect(s.transcript('s1', { limit: 2 }).map((e) => e.text)).toEqual(['70%', '我是人工客服']);
    expect(s.transcript('nobody')).toEqual([]);
  });

  it('creates handoffs pending, updates them and finds the open one', () => {
    const s = open();
    const first = s.createHandoff({ sessionId: 's1', reason: 'user-request', region: '包头', requestedAt: 10 });
    expect(first).toEqual({
      id: first.id,
      sessionId: 's1',
      reason: 'user-request',
      region: '包头',
      status: 'pending',
      agentId: null,
      requestedAt: 10,
      assignedAt: null,
      endedAt: null,
      resolution: null,
    });
    expect(s.openHandoff('s1')).toEqual(first);
    s.updateHandoff(first.id, { status: 'unavailable', endedAt: 20 });
    expect(s.openHandoff('s1')).toBeUndefined();
    const second = s.createHandoff({ sessionId: 's1', reason: 'complaint', region: null, requestedAt: 30 });
    expect(second.id).not.toBe(first.id);
    const assigned = s.updateHandoff(second.id, { status: 'assigned', agentId: 'a1', assignedAt: 40 });
    expect(assigned).toMatchObject({ status: 'assigned', agentId: 'a1', assignedAt: 40, reason: 'complaint' });
    expect(s.openHandoff('s1')?.id).toBe(second.id);
    expect(s.getHandoff(first.id)).toMatchObject({ status: 'unavailable', endedAt: 20 });
    expect(s.getHandoff(9999)).toBeUndefined();
  });

  it('gives tickets human ids in sequence and lists them newest first', () => {
    const s = open();
    const t1 = s.createTicket({ sessionId: 's1', phone: '13812345678', question: '异地就医怎么备案', region: '包头', createdAt: 1 });
    const t2 = s.createTicket({ sessionId: 's2', phone: '04716970828', question: '门诊慢特病', region: null, createdAt: 2 });
    expect([t1.id, t2.id]).toEqual(['T000001', 'T000002']);
    expect(t1).toMatchObject({ status: 'open', claimedBy: null, resolution: null, updatedAt: 1 });
    expect(s.getTicket('T000001')).toEqual(t1);
    expect(s.getTicket('T0000001')).toBeUndefined();
    expect(s.getTicket('nope')).toBeUndefined();
    expect(s.listTickets().map((t) => t.id)).toEqual(['T000002', 'T000001']);
    expect(s.listTickets(undefined, { limit: 1 }).map((t) => t.id)).toEqual(['T000002']);
    s.claimTicket('T000001', 'a1', 5);
    expect(s.listTickets('open').map((t) => t.id)).toEqual(['T000002']);
    expect(s.listTickets('claimed').map((t) => t.id)).toEqual(['T000001']);
  });

  it('claims only open tickets, releases and closes them', () => {
    const s = open();
    const { id } = s.createTicket({ sessionId: 's1', phone: '13812345678', question: '?', region: null, createdAt: 1 });
    expect(s.claimTicket(id, 'a1', 2)).toMatchObject({ status: 'claimed', claimedBy: 'a1', updatedAt: 2 });
    expect(() => s.claimTicket(id, 'a2', 3)).toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_TRANSITION' }));
    expect(s.getTicket(id)?.claimedBy).toBe('a1');
    expect(s.releaseTicket(id, 4)).toMatchObject({ status: 'open', claimedBy: null });
    expect(() => s.releaseTicket(id, 5)).toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_TRANSITION' }));
    s.claimTicket(id, 'a2', 6);
    expect(s.closeTicket(id, '已回电说明备案流程', 7)).toMatchObject({
      status: 'closed',
      claimedBy: 'a2',
      resolution: '已回电说明备案流程',
    });
    expect(() => s.closeTicket(id, 'again', 8)).toThrowError(expect.objectContaining({ code: 'HL_ERR_BAD_TRANSITION' }));
    const other = s.createTicket({ sessionId: 's2', phone: '13812345678', question: '?', region: null, createdAt: 9 });
    expect(s.closeTicket(other.id, '用户已自行解决', 10).status).toBe('closed');
    expect(() => s.claimTicket('T999999', 'a1', 11)).toThrowError(expect.objectContaining({ code: 'HL_ERR_TICKET_NOT_FOUND' }));
  });

  it('logs state events in order, with their data', () => {
    const s = open();
    s.appendEvent({ sessionId: 's1', event: 'handoff.requested', from: 'bot', to: 'queued', at: 1, data: { handoffId: 1 } });
    s.appendEvent({ sessionId: 's2', event: 'ticket.created', from: 'bot', to: 'ticket', at: 2 });
    s.appendEvent({ sessionId: 's1', event: 'handoff.assigned', from: 'queued', to: 'agent', at: 3, data: { agentId: 'a1' } });
    expect(s.events('s1')).toEqual([
      { sessionId: 's1', event: 'handoff.requested', from: 'bot', to: 'queued', at: 1, data: { handoffId: 1 } },
      { sessionId: 's1', event: 'handoff.assigned', from: 'queued', to: 'agent', at: 3, data: { agentId: 'a1' } },
    ]);
    expect(s.events('s2')[0]).not.toHaveProperty('data');
  });

  it('keeps a dialogue state per session, replaces it, and prunes the ones not written since a time', () => {
    const s = open();
    s.putSession('s1', '{"region":"大连"}', 10);
    s.putSession('s2', '{"region":null}', 20);
    s.putSession('s1', '{"region":"包头"}', 30);
    expect(s.getSession('s1')).toEqual({ state: '{"region":"包头"}', updatedAt: 30 });
    expect(s.pruneSessions(25)).toBe(1);
    expect(s.getSession('s2')).toBeUndefined();
    expect(s.getSession('s1')?.updatedAt).toBe(30);
    expect(() =>
      s.atomic(() => {
        s.putSession('s1', '{}', 40);
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(s.getSession('s1')?.state).toBe('{"region":"包头"}');
  });

  it('reads a conversation and its dialogue state in one call', () => {
    const s = open();
    expect(s.loadConversation('s1')).toEqual({ conversation: undefined, session: undefined });
    s.putSession('s1', '{"region":"大连"}', 10);
    expect(s.loadConversation('s1')).toEqual({ conversation: undefined, session: { state: '{"region":"大连"}', updatedAt: 10 } });
    s.putConversation(conversation('s1', { region: '大连' }));
    s.putConversation(conversation('s2'));
    expect(s.loadConversation('s1')).toEqual({
      conversation: conversation('s1', { region: '大连' }),
      session: { state: '{"region":"大连"}', updatedAt: 10 },
    });
    expect(s.loadConversation('s2')).toEqual({ conversation: conversation('s2'), session: undefined });
  });

  it('reads inside a unit what the unit wrote, and writes a conversation written twice as it was left', () => {
    const s = open();
    s.atomic(() => {
      expect(s.getConversation('s1')).toBeUndefined();
      s.putConversation(conversation('s1', { lastUserText: '第一句' }));
      expect(s.getConversation('s1')?.lastUserText).toBe('第一句');
      s.putConversation(conversation('s1', { lastUserText: '第二句', state: 'queued', queuedAt: 5 }));
      s.putSession('s1', '{"pending":true}', 7);
      expect(s.getSession('s1')).toEqual({ state: '{"pending":true}', updatedAt: 7 });
      expect(s.listConversations('queued').map((c) => c.sessionId)).toEqual(['s1']);
    });
    expect(s.getConversation('s1')).toMatchObject({ lastUserText: '第二句', state: 'queued' });
    expect(s.getSession('s1')?.state).toBe('{"pending":true}');
  });

  it('undoes only what a nested unit wrote when it throws, and keeps the outer unit’s writes', () => {
    const s = open();
    s.atomic(() => {
      s.putConversation(conversation('s1', { region: '包头' }));
      expect(() =>
        s.atomic(() => {
          s.putConversation(conversation('s1', { region: '大连' }));
          s.appendTranscript({ sessionId: 's1', role: 'system', text: '撤销', at: 1 });
          throw new Error('nested');
        }),
      ).toThrow('nested');
      expect(s.getConversation('s1')?.region).toBe('包头');
      s.appendTranscript({ sessionId: 's1', role: 'user', text: '保留', at: 2 });
    });
    expect(s.getConversation('s1')?.region).toBe('包头');
    expect(s.transcript('s1').map((e) => e.text)).toEqual(['保留']);
  });

  it('finds a handoff its unit created as the open and latest one, and updates only the fields a patch names', () => {
    const s = open();
    const h = s.atomic(() => {
      const created = s.createHandoff({ sessionId: 's1', reason: 'requested', region: '包头', requestedAt: 1 });
      expect(s.openHandoff('s1')).toEqual(created);
      const assigned = s.updateHandoff(created.id, { status: 'assigned', agentId: 'a1', assignedAt: 2 });
      expect(s.openHandoff('s1')).toEqual(assigned);
      expect(s.getHandoff(created.id)).toEqual(assigned);
      s.updateHandoff(created.id, { status: 'resolved', endedAt: 3 });
      expect(s.openHandoff('s1')).toBeUndefined();
      return created;
    });
    expect(s.latestHandoff('s1')).toMatchObject({
      id: h.id,
      status: 'resolved',
      agentId: 'a1',
      assignedAt: 2,
      endedAt: 3,
      resolution: null,
    });
    expect(() => s.updateHandoff(9999, { status: 'resolved' })).toThrowError(expect.objectContaining({ code: 'HL_ERR_INTERNAL' }));
  });

  it('runs the units of a group commit at once and settles them together once the tick is over (issue 14)', async () => {
    const s = open();
    const settled: string[] = [];
    const a = s.groupCommit(() => {
      s.putConversation(conversation('a'));
      return s.appendTranscript({ sessionId: 'a', role: 'user', text: '甲', at: 1 }).seq;
    });
    const b = s.groupCommit(() => s.appendTranscript({ sessionId: 'b', role: 'user', text: '乙', at: 2 }).seq);
    expect(b.value).toBeGreaterThan(a.value);
    // Read back before the commit: the same connection sees what its units wrote.
    expect(s.getConversation('a')?.sessionId).toBe('a');
    a.committed.then(() => settled.push('a'));
    b.committed.then(() => settled.push('b'));
    await Promise.resolve();
    expect(settled).toEqual([]);
    await Promise.all([a.committed, b.committed]);
    expect(settled).toEqual(['a', 'b']);
    expect(s.transcript('a').map((e) => e.text)).toEqual(['甲']);
    expect(s.transcript('b').map((e) => e.text)).toEqual(['乙']);
  });

  it('throws a failing unit’s error at once and undoes its writes alone; the others of its tick commit', async () => {
    const s = open();
    const kept = s.groupCommit(() => s.putConversation(conversation('kept')));
    expect(() =>
      s.groupCommit(() => {
        s.putConversation(conversation('undone'));
        s.appendTranscript({ sessionId: 'undone', role: 'user', text: 'x', at: 1 });
        throw new Error('bad turn');
      }),
    ).toThrow('bad turn');
    await kept.committed;
    await nextTick();
    expect(s.getConversation('kept')).toBeDefined();
    expect(s.getConversation('undone')).toBeUndefined();
    expect(s.transcript('undone')).toEqual([]);
  });

  it('commits the waiting units with a write made outside any unit, or with an atomic block', async () => {
    const s = open();
    const first = s.groupCommit(() => s.putConversation(conversation('g1')));
    s.appendEvent({ sessionId: 'g1', event: 'handoff.requested', from: 'bot', to: 'queued', at: 1 });
    await first.committed;
    const second = s.groupCommit(() => s.putConversation(conversation('g2')));
    expect(s.atomic(() => s.createTicket({ sessionId: 'g2', phone: '13812345678', question: '?', region: null, createdAt: 1 })).id).toBe(
      'T000001',
    );
    await second.committed;
    expect(s.getConversation('g1')).toBeDefined();
    expect(s.getConversation('g2')).toBeDefined();
    expect(s.events('g1')).toHaveLength(1);
  });

  it('says when a write has committed, and when the unit holding it was rolled back instead', async () => {
    const s = open();
    const outcome = (p: Promise<void>) =>
      p.then(
        () => 'committed',
        (err: { code?: string }) => err.code ?? 'rejected',
      );
    // Outside any unit a write has committed as it returns.
    s.putConversation(conversation('o'));
    await expect(outcome(s.settled())).resolves.toBe('committed');
    // In a grouped unit: once the group commits.
    let grouped: Promise<string> = Promise.resolve('');
    const unit = s.groupCommit(() => {
      s.putConversation(conversation('g'));
      grouped = outcome(s.settled());
    });
    await unit.committed;
    await expect(grouped).resolves.toBe('committed');
    // A nested unit that throws is undone alone: its writes' promise rejects, the outer one's resolves.
    let inner: Promise<string> = Promise.resolve('');
    let outer: Promise<string> = Promise.resolve('');
    s.atomic(() => {
      s.putConversation(conversation('kept'));
      outer = outcome(s.settled());
      expect(() =>
        s.atomic(() => {
          s.putConversation(conversation('undone'));
          inner = outcome(s.settled());
          throw new Error('bad step');
        }),
      ).toThrow('bad step');
    });
    await expect(inner).resolves.toBe('HL_ERR_INTERNAL');
    await expect(outer).resolves.toBe('committed');
    expect(s.getConversation('undone')).toBeUndefined();
    expect(s.getConversation('kept')).toBeDefined();
  });

  it('rolls back every write of an atomic block that throws', () => {
    const s = open();
    s.putConversation(conversation('s1'));
    expect(() =>
      s.atomic(() => {
        s.putConversation(conversation('s1', { state: 'ticket' }));
        s.createTicket({ sessionId: 's1', phone: '13812345678', question: '?', region: null, createdAt: 1 });
        s.appendEvent({ sessionId: 's1', event: 'ticket.created', from: 'bot', to: 'ticket', at: 1 });
        s.appendTranscript({ sessionId: 's1', role: 'system', text: 'x', at: 1 });
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(s.getConversation('s1')?.state).toBe('bot');
    expect(s.listTickets()).toEqual([]);
    expect(s.events('s1')).toEqual([]);
    expect(s.transcript('s1')).toEqual([]);
    expect(s.atomic(() => 42)).toBe(42);
  });
});

describe('openStore', () => {
  it('opens the store the options name', () => {
    const memory = openStore({ kind: 'memory' });
    const sqlite = openStore({ kind: 'sqlite', dataDir: join(tmp(), 'nested', 'data') });
    stores.push(memory, sqlite);
    expect([memory.kind, sqlite.kind]).toEqual(['memory', 'sqlite']);
    expect((sqlite as SqliteStore).file).toMatch(/nested[/\\]data[/\\]hotline\.db$/);
  });

  it('refuses SQLite without a data directory', () => {
    expect(() => openStore({ kind: 'sqlite' })).toThrowError(expect.objectContaining({ code: 'HL_ERR_CONFIG_INVALID' }));
  });
});
