/**
 * One behaviour suite for every store: what the desk relies on holds in memory, in SQLite and behind the coalescing
 * layer alike. A new kind is one line in KINDS (`make` may be asynchronous: a server to connect to).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { NewMiss } from '../../src/ops/types.js';
import {
  CoalescingStore,
  type Conversation,
  MemoryStore,
  openStore,
  SqliteStore,
  type Store,
  type StoreData,
} from '../../src/store/index.js';
import { PgStore } from '../../src/store/postgres.js';
import { needPostgres, POSTGRES } from '../helpers/services.js';
import { conversation } from './records.js';

const dirs: string[] = [];
const stores: Store[] = [];
/** Stores a test closed itself (closing twice is not asked of a store). */
const closed = new Set<Store>();

function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hl-store-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const s of stores.splice(0)) if (!closed.has(s)) await s.close();
  closed.clear();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Each PostgreSQL store in a fresh schema of its own, dropped after the file (issue 15). */
const pgReady = await needPostgres();
const pgSchemas: string[] = [];
async function pgStore(): Promise<PgStore> {
  const schema = `hltest_store_${process.pid}_${Date.now()}_${pgSchemas.length}`;
  pgSchemas.push(schema);
  return PgStore.open({ url: POSTGRES.url, schema });
}
afterAll(async () => {
  if (pgSchemas.length === 0) return;
  const admin = await PgStore.open({ url: POSTGRES.url, schema: 'hltest_admin' });
  for (const schema of pgSchemas) await admin.dropSchema(schema);
  await admin.close();
});

const KINDS: [name: string, make: () => Store | Promise<Store>][] = [
  ['memory', () => new MemoryStore()],
  ['sqlite', () => new SqliteStore({ dataDir: tmp() })],
  // What the service runs: a turn's reads and writes coalesced in front of SQLite (issue 14).
  ['coalescing (SQLite)', () => new CoalescingStore(new SqliteStore({ dataDir: tmp() }))],
  // What several instances share (issue 15), coalesced as the service runs it.
  ...(pgReady
    ? ([
        ['postgres', pgStore],
        ['coalescing (PostgreSQL)', async () => new CoalescingStore(await pgStore())],
      ] as [string, () => Promise<Store>][])
    : []),
];

/** The next turn of the event loop: a group commit has settled. */
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A promise and what resolves it: a unit held open until the test lets it go on. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe.each(KINDS)('the %s store', (_kind, make) => {
  async function open(): Promise<Store> {
    const store = await make();
    stores.push(store);
    return store;
  }

  it('keeps a conversation, replaces it on upsert and hands out copies', async () => {
    const s = await open();
    expect(await s.getConversation('s1')).toBeUndefined();
    await s.putConversation(conversation('s1', { region: '包头', lastUserText: '门诊报销比例' }));
    await s.putConversation(conversation('s1', { region: '包头', state: 'queued', queuedAt: 2000, updatedAt: 2000 }));
    const got = (await s.getConversation('s1')) as Conversation;
    expect(got).toEqual(conversation('s1', { region: '包头', state: 'queued', queuedAt: 2000, updatedAt: 2000 }));
    got.state = 'agent';
    expect((await s.getConversation('s1'))?.state).toBe('queued');
  });

  it('lists conversations in a state, longest waiting first', async () => {
    const s = await open();
    await s.putConversation(conversation('late', { state: 'queued', queuedAt: 5000, createdAt: 100 }));
    await s.putConversation(conversation('early', { state: 'queued', queuedAt: 3000, createdAt: 900 }));
    await s.putConversation(conversation('chatting', { state: 'bot' }));
    expect((await s.listConversations('queued')).map((c) => c.sessionId)).toEqual(['early', 'late']);
    expect((await s.listConversations('bot')).map((c) => c.sessionId)).toEqual(['chatting']);
    expect(await s.listConversations('agent')).toEqual([]);
  });

  it('numbers transcript entries in increasing order and keeps the reply JSON with its citations', async () => {
    const s = await open();
    const reply = { type: 'answer', citations: [{ noticeId: 'baotou-2022-10-08', clause: '五', quote: '报销比例为70%' }], confidence: 0.9 };
    const a = await s.appendTranscript({ sessionId: 's1', role: 'user', text: '报销比例是多少', at: 1 });
    await s.appendTranscript({ sessionId: 'other', role: 'user', text: '你好', at: 2 });
    const b = await s.appendTranscript({ sessionId: 's1', role: 'bot', text: '70%', reply, at: 3 });
    const c = await s.appendTranscript({ sessionId: 's1', role: 'agent', text: '我是人工客服', agentId: 'a1', at: 4 });
    expect(b.seq).toBeGreaterThan(a.seq);
    expect(c.seq).toBeGreaterThan(b.seq);
    const all = await s.transcript('s1');
    expect(all).toEqual([a, b, c]);
    expect(all[0]).not.toHaveProperty('reply');
    expect(all[1]?.reply).toEqual(reply);
    expect(all[2]).toMatchObject({ role: 'agent', agentId: 'a1' });
    expect((await s.transcript('s1', { limit: 2 })).map((e) => e.text)).toEqual(['70%', '我是人工客服']);
    expect(await s.transcript('nobody')).toEqual([]);
  });

  it('creates handoffs pending, updates them and finds the open one', async () => {
    const s = await open();
    const first = await s.createHandoff({ sessionId: 's1', reason: 'user-request', region: '包头', requestedAt: 10 });
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
    expect(await s.openHandoff('s1')).toEqual(first);
    await s.updateHandoff(first.id, { status: 'unavailable', endedAt: 20 });
    expect(await s.openHandoff('s1')).toBeUndefined();
    const second = await s.createHandoff({ sessionId: 's1', reason: 'complaint', region: null, requestedAt: 30 });
    expect(second.id).not.toBe(first.id);
    const assigned = await s.updateHandoff(second.id, { status: 'assigned', agentId: 'a1', assignedAt: 40 });
    expect(assigned).toMatchObject({ status: 'assigned', agentId: 'a1', assignedAt: 40, reason: 'complaint' });
    expect((await s.openHandoff('s1'))?.id).toBe(second.id);
    expect(await s.getHandoff(first.id)).toMatchObject({ status: 'unavailable', endedAt: 20 });
    expect(await s.getHandoff(9999)).toBeUndefined();
  });

  it('gives tickets human ids in sequence and lists them newest first', async () => {
    const s = await open();
    const t1 = await s.createTicket({ sessionId: 's1', phone: '13812345678', question: '异地就医怎么备案', region: '包头', createdAt: 1 });
    const t2 = await s.createTicket({ sessionId: 's2', phone: '04716970828', question: '门诊慢特病', region: null, createdAt: 2 });
    expect([t1.id, t2.id]).toEqual(['T000001', 'T000002']);
    expect(t1).toMatchObject({ status: 'open', claimedBy: null, resolution: null, updatedAt: 1 });
    expect(await s.getTicket('T000001')).toEqual(t1);
    expect(await s.getTicket('T0000001')).toBeUndefined();
    expect(await s.getTicket('nope')).toBeUndefined();
    expect((await s.listTickets()).map((t) => t.id)).toEqual(['T000002', 'T000001']);
    expect((await s.listTickets(undefined, { limit: 1 })).map((t) => t.id)).toEqual(['T000002']);
    await s.claimTicket('T000001', 'a1', 5);
    expect((await s.listTickets('open')).map((t) => t.id)).toEqual(['T000002']);
    expect((await s.listTickets('claimed')).map((t) => t.id)).toEqual(['T000001']);
  });

  it('claims only open tickets, releases and closes them', async () => {
    const s = await open();
    const { id } = await s.createTicket({ sessionId: 's1', phone: '13812345678', question: '?', region: null, createdAt: 1 });
    expect(await s.claimTicket(id, 'a1', 2)).toMatchObject({ status: 'claimed', claimedBy: 'a1', updatedAt: 2 });
    await expect(s.claimTicket(id, 'a2', 3)).rejects.toMatchObject({ code: 'HL_ERR_BAD_TRANSITION' });
    expect((await s.getTicket(id))?.claimedBy).toBe('a1');
    expect(await s.releaseTicket(id, 4)).toMatchObject({ status: 'open', claimedBy: null });
    await expect(s.releaseTicket(id, 5)).rejects.toMatchObject({ code: 'HL_ERR_BAD_TRANSITION' });
    await s.claimTicket(id, 'a2', 6);
    expect(await s.closeTicket(id, '已回电说明备案流程', 7)).toMatchObject({
      status: 'closed',
      claimedBy: 'a2',
      resolution: '已回电说明备案流程',
    });
    await expect(s.closeTicket(id, 'again', 8)).rejects.toMatchObject({ code: 'HL_ERR_BAD_TRANSITION' });
    const other = await s.createTicket({ sessionId: 's2', phone: '13812345678', question: '?', region: null, createdAt: 9 });
    expect((await s.closeTicket(other.id, '用户已自行解决', 10)).status).toBe('closed');
    await expect(s.claimTicket('T999999', 'a1', 11)).rejects.toMatchObject({ code: 'HL_ERR_TICKET_NOT_FOUND' });
  });

  it('logs state events in order, with their data', async () => {
    const s = await open();
    await s.appendEvent({ sessionId: 's1', event: 'handoff.requested', from: 'bot', to: 'queued', at: 1, data: { handoffId: 1 } });
    await s.appendEvent({ sessionId: 's2', event: 'ticket.created', from: 'bot', to: 'ticket', at: 2 });
    await s.appendEvent({ sessionId: 's1', event: 'handoff.assigned', from: 'queued', to: 'agent', at: 3, data: { agentId: 'a1' } });
    expect(await s.events('s1')).toEqual([
      { sessionId: 's1', event: 'handoff.requested', from: 'bot', to: 'queued', at: 1, data: { handoffId: 1 } },
      { sessionId: 's1', event: 'handoff.assigned', from: 'queued', to: 'agent', at: 3, data: { agentId: 'a1' } },
    ]);
    expect((await s.events('s2'))[0]).not.toHaveProperty('data');
  });

  it('keeps a dialogue state per session, replaces it, and prunes the ones not written since a time', async () => {
    const s = await open();
    await s.putSession('s1', '{"region":"大连"}', 10);
    await s.putSession('s2', '{"region":null}', 20);
    await s.putSession('s1', '{"region":"包头"}', 30);
    expect(await s.getSession('s1')).toEqual({ state: '{"region":"包头"}', updatedAt: 30 });
    expect(await s.pruneSessions(25)).toBe(1);
    expect(await s.getSession('s2')).toBeUndefined();
    expect((await s.getSession('s1'))?.updatedAt).toBe(30);
    await expect(
      s.atomic(async (tx) => {
        await tx.putSession('s1', '{}', 40);
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect((await s.getSession('s1'))?.state).toBe('{"region":"包头"}');
  });

  it('reads a conversation and its dialogue state in one call', async () => {
    const s = await open();
    expect(await s.loadConversation('s1')).toEqual({ conversation: undefined, session: undefined });
    await s.putSession('s1', '{"region":"大连"}', 10);
    expect(await s.loadConversation('s1')).toEqual({ conversation: undefined, session: { state: '{"region":"大连"}', updatedAt: 10 } });
    await s.putConversation(conversation('s1', { region: '大连' }));
    await s.putConversation(conversation('s2'));
    expect(await s.loadConversation('s1')).toEqual({
      conversation: conversation('s1', { region: '大连' }),
      session: { state: '{"region":"大连"}', updatedAt: 10 },
    });
    expect(await s.loadConversation('s2')).toEqual({ conversation: conversation('s2'), session: undefined });
  });

  it('reads inside a unit what the unit wrote, and writes a conversation written twice as it was left', async () => {
    const s = await open();
    await s.atomic(async (tx) => {
      expect(await tx.getConversation('s1')).toBeUndefined();
      await tx.putConversation(conversation('s1', { lastUserText: '第一句' }));
      expect((await tx.getConversation('s1'))?.lastUserText).toBe('第一句');
      await tx.putConversation(conversation('s1', { lastUserText: '第二句', state: 'queued', queuedAt: 5 }));
      await tx.putSession('s1', '{"pending":true}', 7);
      expect(await tx.getSession('s1')).toEqual({ state: '{"pending":true}', updatedAt: 7 });
      expect(await tx.loadConversation('s1')).toMatchObject({ conversation: { lastUserText: '第二句' }, session: { updatedAt: 7 } });
      expect((await tx.listConversations('queued')).map((c) => c.sessionId)).toEqual(['s1']);
    });
    expect(await s.getConversation('s1')).toMatchObject({ lastUserText: '第二句', state: 'queued' });
    expect((await s.getSession('s1'))?.state).toBe('{"pending":true}');
  });

  // Units no longer nest (the desk composes its operations itself); what a nested unit was for, a step undone alone
  // while the writes around it are kept, is now a unit of a group commit: a savepoint of the group's transaction.
  it('undoes only what a unit of a group wrote when it throws, keeping the writes of the units before and after it', async () => {
    const s = await open();
    const before = s.groupCommit(async (tx) => {
      await tx.putConversation(conversation('s1', { region: '包头' }));
      await tx.appendTranscript({ sessionId: 's1', role: 'user', text: '之前', at: 1 });
    });
    const failing = s.groupCommit(async (tx) => {
      expect((await tx.getConversation('s1'))?.region).toBe('包头');
      await tx.putConversation(conversation('s1', { region: '大连' }));
      await tx.appendTranscript({ sessionId: 's1', role: 'system', text: '撤销', at: 2 });
      await tx.putSession('s1', '{"undone":true}', 2);
      throw new Error('bad step');
    });
    const after = s.groupCommit(async (tx) => {
      expect((await tx.getConversation('s1'))?.region).toBe('包头');
      await tx.appendTranscript({ sessionId: 's1', role: 'user', text: '之后', at: 3 });
    });
    await expect(failing).rejects.toThrow('bad step');
    const units = await Promise.all([before, after]);
    await Promise.all(units.map((u) => u.committed));
    expect((await s.getConversation('s1'))?.region).toBe('包头');
    expect((await s.transcript('s1')).map((e) => e.text)).toEqual(['之前', '之后']);
    expect(await s.getSession('s1')).toBeUndefined();
  });

  it('finds a handoff its unit created as the open and latest one, and updates only the fields a patch names', async () => {
    const s = await open();
    const h = await s.atomic(async (tx) => {
      const created = await tx.createHandoff({ sessionId: 's1', reason: 'requested', region: '包头', requestedAt: 1 });
      expect(await tx.openHandoff('s1')).toEqual(created);
      expect(await tx.latestHandoff('s1')).toEqual(created);
      const assigned = await tx.updateHandoff(created.id, { status: 'assigned', agentId: 'a1', assignedAt: 2 });
      expect(await tx.openHandoff('s1')).toEqual(assigned);
      expect(await tx.getHandoff(created.id)).toEqual(assigned);
      await tx.updateHandoff(created.id, { status: 'resolved', endedAt: 3 });
      expect(await tx.openHandoff('s1')).toBeUndefined();
      return created;
    });
    expect(await s.latestHandoff('s1')).toMatchObject({
      id: h.id,
      status: 'resolved',
      agentId: 'a1',
      assignedAt: 2,
      endedAt: 3,
      resolution: null,
    });
    await expect(s.updateHandoff(9999, { status: 'resolved' })).rejects.toMatchObject({ code: 'HL_ERR_INTERNAL' });
  });

  it('runs the units of a group commit at once and settles them together once the tick is over (issue 14)', async () => {
    const s = await open();
    const settled: string[] = [];
    const [a, b] = await Promise.all([
      s.groupCommit(async (tx) => {
        await tx.putConversation(conversation('a'));
        return (await tx.appendTranscript({ sessionId: 'a', role: 'user', text: '甲', at: 1 })).seq;
      }),
      s.groupCommit(async (tx) => (await tx.appendTranscript({ sessionId: 'b', role: 'user', text: '乙', at: 2 })).seq),
    ]);
    expect(b.value).toBeGreaterThan(a.value);
    a.committed.then(() => settled.push('a'));
    b.committed.then(() => settled.push('b'));
    await Promise.resolve();
    // PostgreSQL commits each unit on its own (the server groups the WAL flushes of concurrent commits): settled
    // as soon as it has run; the others hold them until the tick is over.
    expect(settled).toEqual(s.kind === 'postgres' ? ['a', 'b'] : []);
    await Promise.all([a.committed, b.committed]);
    expect(settled).toEqual(['a', 'b']);
    expect((await s.getConversation('a'))?.sessionId).toBe('a');
    expect((await s.transcript('a')).map((e) => e.text)).toEqual(['甲']);
    expect((await s.transcript('b')).map((e) => e.text)).toEqual(['乙']);
  });

  it('throws a failing unit’s error at once and undoes its writes alone; the others of its tick commit', async () => {
    const s = await open();
    const kept = s.groupCommit((tx) => tx.putConversation(conversation('kept')));
    await expect(
      s.groupCommit(async (tx) => {
        await tx.putConversation(conversation('undone'));
        await tx.appendTranscript({ sessionId: 'undone', role: 'user', text: 'x', at: 1 });
        throw new Error('bad turn');
      }),
    ).rejects.toThrow('bad turn');
    await (await kept).committed;
    await nextTick();
    expect(await s.getConversation('kept')).toBeDefined();
    expect(await s.getConversation('undone')).toBeUndefined();
    expect(await s.transcript('undone')).toEqual([]);
  });

  it('commits the waiting units with a write made outside any unit, or with an atomic block', async () => {
    const s = await open();
    const order: string[] = [];
    const first = await s.groupCommit((tx) => tx.putConversation(conversation('g1')));
    first.committed.then(() => order.push('g1 committed'));
    await s.appendEvent({ sessionId: 'g1', event: 'handoff.requested', from: 'bot', to: 'queued', at: 1 });
    order.push('event written');
    const second = await s.groupCommit((tx) => tx.putConversation(conversation('g2')));
    second.committed.then(() => order.push('g2 committed'));
    const ticket = await s.atomic((tx) =>
      tx.createTicket({ sessionId: 'g2', phone: '13812345678', question: '?', region: null, createdAt: 1 }),
    );
    order.push('ticket created');
    expect(ticket.id).toBe('T000001');
    // Each group had committed before the write or the block that followed it was done, not on a later tick.
    expect(order).toEqual(['g1 committed', 'event written', 'g2 committed', 'ticket created']);
    expect(await s.getConversation('g1')).toBeDefined();
    expect(await s.getConversation('g2')).toBeDefined();
    expect(await s.events('g1')).toHaveLength(1);
  });

  // `settled()` is gone: what it told (has this write committed, or was its unit rolled back) is now told by the
  // promises themselves.
  it('says when a write has committed, and when the unit holding it was rolled back instead', async () => {
    const s = await open();
    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => 'committed',
        (err: { code?: string; message?: string }) => err.code ?? err.message ?? 'rejected',
      );
    // Outside any unit a write has committed as its promise resolves: a unit that throws afterwards does not take it back.
    await expect(outcome(s.putConversation(conversation('o')))).resolves.toBe('committed');
    await expect(s.atomic(async () => Promise.reject(new Error('later')))).rejects.toThrow('later');
    expect(await s.getConversation('o')).toBeDefined();
    // In a grouped unit: once `committed` resolves.
    const unit = await s.groupCommit((tx) => tx.putConversation(conversation('g')));
    await expect(outcome(unit.committed)).resolves.toBe('committed');
    expect(await s.getConversation('g')).toBeDefined();
    // A unit that throws is undone, whether grouped or atomic: its promise rejects with its error, and it has no `committed`.
    await expect(
      outcome(
        s.groupCommit(async (tx) => {
          await tx.putConversation(conversation('undone'));
          throw new Error('bad step');
        }),
      ),
    ).resolves.toBe('bad step');
    await expect(
      outcome(
        s.atomic(async (tx) => {
          await tx.putConversation(conversation('undone too'));
          throw new Error('bad block');
        }),
      ),
    ).resolves.toBe('bad block');
    await nextTick();
    expect(await s.getConversation('undone')).toBeUndefined();
    expect(await s.getConversation('undone too')).toBeUndefined();
  });

  it('rolls back every write of an atomic block that throws', async () => {
    const s = await open();
    await s.putConversation(conversation('s1'));
    await expect(
      s.atomic(async (tx) => {
        await tx.putConversation(conversation('s1', { state: 'ticket' }));
        await tx.createTicket({ sessionId: 's1', phone: '13812345678', question: '?', region: null, createdAt: 1 });
        await tx.appendEvent({ sessionId: 's1', event: 'ticket.created', from: 'bot', to: 'ticket', at: 1 });
        await tx.appendTranscript({ sessionId: 's1', role: 'system', text: 'x', at: 1 });
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect((await s.getConversation('s1'))?.state).toBe('bot');
    expect(await s.listTickets()).toEqual([]);
    expect(await s.events('s1')).toEqual([]);
    expect(await s.transcript('s1')).toEqual([]);
    expect(await s.atomic(async () => 42)).toBe(42);
  });

  it('runs two units asked at once one after the other, even when the first awaits between its writes', async () => {
    const s = await open();
    await s.putConversation(conversation('s1', { updatedAt: 0 }));
    const log: string[] = [];
    /** Reads the conversation, waits a tick of the event loop, writes it back one later: a lost update if units overlap. */
    const bump = (name: string) => async (tx: StoreData) => {
      log.push(`${name} starts`);
      const c = (await tx.getConversation('s1')) as Conversation;
      await nextTick();
      await tx.appendTranscript({ sessionId: 's1', role: 'system', text: name, at: c.updatedAt });
      await nextTick();
      await tx.putConversation({ ...c, updatedAt: c.updatedAt + 1 });
      log.push(`${name} ends`);
    };
    await Promise.all([s.atomic(bump('first')), s.atomic(bump('second'))]);
    const grouped = await Promise.all([s.groupCommit(bump('third')), s.groupCommit(bump('fourth'))]);
    await Promise.all(grouped.map((u) => u.committed));
    expect(log).toEqual([
      'first starts',
      'first ends',
      'second starts',
      'second ends',
      'third starts',
      'third ends',
      'fourth starts',
      'fourth ends',
    ]);
    expect((await s.getConversation('s1'))?.updatedAt).toBe(4);
    expect((await s.transcript('s1')).map((e) => `${e.text} ${e.at}`)).toEqual(['first 0', 'second 1', 'third 2', 'fourth 3']);
  });

  it('makes a write outside any unit wait for the unit running, and keeps it when that unit throws', async () => {
    const s = await open();
    const started = gate();
    const go = gate();
    const unit = s.atomic(async (tx) => {
      await tx.putConversation(conversation('unit'));
      await tx.appendTranscript({ sessionId: 'unit', role: 'user', text: '撤销', at: 1 });
      started.open();
      await go.opened;
      await tx.createTicket({ sessionId: 'unit', phone: '13812345678', question: '?', region: null, createdAt: 1 });
      throw new Error('unit failed');
    });
    const failed = expect(unit).rejects.toThrow('unit failed');
    await started.opened;
    let written = false;
    const outside = s.appendTranscript({ sessionId: 'outside', role: 'user', text: '保留', at: 2 }).then((e) => {
      written = true;
      return e;
    });
    try {
      await nextTick();
      await nextTick();
      expect(written).toBe(false);
    } finally {
      go.open();
    }
    await failed;
    expect((await outside).text).toBe('保留');
    expect((await s.transcript('outside')).map((e) => e.text)).toEqual(['保留']);
    expect(await s.getConversation('unit')).toBeUndefined();
    expect(await s.transcript('unit')).toEqual([]);
    expect(await s.listTickets()).toEqual([]);
  });

  it('commits the units waiting for a group commit when it is closed, before closing', async () => {
    const s = await open();
    const order: string[] = [];
    const units = await Promise.all(['late', 'later'].map((id) => s.groupCommit((tx) => tx.putConversation(conversation(id)))));
    for (const [i, u] of units.entries()) u.committed.then(() => order.push(`unit ${i} committed`));
    closed.add(s);
    await s.close();
    order.push('closed');
    expect(order).toEqual(['unit 0 committed', 'unit 1 committed', 'closed']);
  });

  // Issue 16: the operators' desk reads misses and the day's counts from the store.
  it('keeps misses with their candidates, newest first, filtered by time, kind, region and intent', async () => {
    const s = await open();
    const miss = (at: number, patch: Partial<NewMiss> = {}): NewMiss => ({
      kind: 'handoff',
      sessionId: `m${at}`,
      channel: 'web',
      text: '异地就医怎么备案',
      reply: '这个问题需要人工客服处理。',
      replyType: 'handoff',
      region: '包头',
      intent: 'remote_care',
      rule: 'unanswered',
      confidence: 0.31,
      candidates: [{ notice: 'baotou-2022-10-08', clause: '五', score: 4.5, confidence: 0.31 }],
      detail: null,
      comment: null,
      at,
      ...patch,
    });
    const first = await s.addMiss(miss(1000));
    await s.addMiss(miss(2000, { kind: 'fallback', region: null, intent: null, candidates: [], confidence: null }));
    await s.atomic((tx) => tx.addMiss(miss(3000, { kind: 'down_vote', detail: 'wrong', comment: '不对' })));
    expect(first.id).toBeGreaterThan(0);
    const all = await s.listMisses();
    expect(all.map((m) => m.at)).toEqual([3000, 2000, 1000]);
    expect(all[2]).toEqual({ ...miss(1000), id: first.id });
    expect((await s.listMisses({ since: 2000 })).map((m) => m.at)).toEqual([3000, 2000]);
    expect((await s.listMisses({ kind: 'fallback' })).map((m) => m.at)).toEqual([2000]);
    expect((await s.listMisses({ region: '包头', intent: 'remote_care' })).map((m) => m.at)).toEqual([3000, 1000]);
    expect((await s.listMisses({ limit: 1 })).map((m) => m.kind)).toEqual(['down_vote']);
    // An export names the misses it wants, however old.
    expect((await s.listMisses({ ids: [first.id, 999_999] })).map((m) => m.at)).toEqual([1000]);
    expect(await s.listMisses({ ids: [] })).toEqual([]);
    // A unit that throws keeps none of its misses.
    await expect(
      s.atomic(async (tx) => {
        await tx.addMiss(miss(4000));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await s.listMisses({ since: 4000 })).toEqual([]);
  });

  it('counts bot replies per Asia/Shanghai day, channel and type, and feedback per day', async () => {
    const s = await open();
    // 2026-03-01 23:30 in Beijing is 15:30 UTC; 2026-03-02 00:30 in Beijing is still 2026-03-01 in UTC.
    const lateOnThe1st = Date.UTC(2026, 2, 1, 15, 30);
    const earlyOnThe2nd = Date.UTC(2026, 2, 1, 16, 30);
    await s.putConversation(conversation('w', { channel: 'web' }));
    await s.putConversation(conversation('x', { channel: 'wechat' }));
    const bot = (sessionId: string, type: string, at: number) =>
      s.appendTranscript({ sessionId, role: 'bot', text: '…', reply: { type, text: '…', citations: [] }, at });
    await bot('w', 'answer', lateOnThe1st);
    await bot('w', 'answer', lateOnThe1st + 1);
    await bot('w', 'handoff', earlyOnThe2nd);
    await bot('x', 'answer', earlyOnThe2nd);
    await s.appendTranscript({ sessionId: 'w', role: 'user', text: '问', at: earlyOnThe2nd });
    await bot('w', 'fallback', 10);
    expect(await s.dailyReplies(lateOnThe1st)).toEqual([
      { day: '2026-03-01', channel: 'web', type: 'answer', n: 2 },
      { day: '2026-03-02', channel: 'web', type: 'handoff', n: 1 },
      { day: '2026-03-02', channel: 'wechat', type: 'answer', n: 1 },
    ]);
    const vote = (target: number, v: 'up' | 'down', at: number) =>
      s.addFeedback({
        sessionId: 'w',
        channel: 'web',
        kind: 'answer',
        target,
        vote: v,
        score: null,
        reason: null,
        comment: null,
        notice: null,
        clause: null,
        intent: null,
        agentId: null,
        region: null,
        at,
      });
    const rate = (target: number, score: number, at: number) =>
      s.addFeedback({
        sessionId: 'w',
        channel: 'web',
        kind: 'chat',
        target,
        vote: null,
        score,
        reason: null,
        comment: null,
        notice: null,
        clause: null,
        intent: null,
        agentId: 'a1',
        region: null,
        at,
      });
    await vote(1, 'up', lateOnThe1st);
    await vote(2, 'down', lateOnThe1st);
    await vote(3, 'up', earlyOnThe2nd);
    await rate(1, 2, earlyOnThe2nd);
    await rate(2, 5, earlyOnThe2nd);
    expect(await s.dailyFeedback(lateOnThe1st)).toEqual([
      { day: '2026-03-01', up: 1, down: 1, ratings: 0, scoreSum: 0, low: 0 },
      { day: '2026-03-02', up: 1, down: 0, ratings: 2, scoreSum: 7, low: 1 },
    ]);
  });
});

describe('openStore', () => {
  it('opens the store the options name', async () => {
    const memory = await openStore({ kind: 'memory' });
    const sqlite = await openStore({ kind: 'sqlite', dataDir: join(tmp(), 'nested', 'data') });
    stores.push(memory, sqlite);
    expect([memory.kind, sqlite.kind]).toEqual(['memory', 'sqlite']);
    expect((sqlite as SqliteStore).file).toMatch(/nested[/\\]data[/\\]hotline\.db$/);
  });

  it.runIf(pgReady)('opens PostgreSQL when a database is given, whatever the kind says (DATABASE_URL)', async () => {
    const schema = `hltest_store_${process.pid}_${Date.now()}_open`;
    pgSchemas.push(schema);
    const pg = await openStore({ kind: 'sqlite', dataDir: tmp(), database: { url: POSTGRES.url, schema } });
    stores.push(pg);
    expect(pg.kind).toBe('postgres');
    expect((pg as PgStore).schema).toBe(schema);
  });

  it('refuses SQLite without a data directory', async () => {
    await expect(openStore({ kind: 'sqlite' })).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_CONFIG_INVALID' }));
  });
});
