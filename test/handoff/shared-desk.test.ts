/**
 * Issue 15: the handoff desk shared by several instances. Two desks (as two instances would hold them) on one
 * PostgreSQL schema, their news carried by an in-process bus standing in for Redis pub/sub: a queued chat is assigned
 * exactly once however many agents on both ask for it; a turn with the bot takes only the shared lock; the queue one
 * instance changed is the queue the other sees; the agents of an instance that stopped are signed off.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildAssistant } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { Concierge } from '../../src/handoff/concierge.js';
import { HandoffDesk } from '../../src/handoff/desk.js';
import type { Notification } from '../../src/handoff/notifications.js';
import type { DeskNews, DeskShare } from '../../src/handoff/share.js';
import { PgStore } from '../../src/store/postgres.js';
import { projectKnowledge } from '../helpers/knowledge.js';
import { needPostgres, POSTGRES } from '../helpers/services.js';

const pgReady = await needPostgres();

/** Instances on one bus: each publish reaches every subscriber (its own included), as Redis pub/sub does. */
class Bus {
  private readonly subscribers: ((news: DeskNews) => void)[] = [];
  readonly alive = new Set<string>();
  share(instanceId: string): DeskShare {
    this.alive.add(instanceId);
    return {
      instanceId,
      publish: (news) => {
        const copy = JSON.parse(JSON.stringify(news)) as DeskNews;
        setImmediate(() => {
          for (const fn of this.subscribers) fn(copy);
        });
      },
      subscribe: (fn) => {
        this.subscribers.push(fn);
      },
      live: async () => new Set(this.alive),
      close: async () => {},
    };
  }
}

const schemas: string[] = [];
const stores: PgStore[] = [];
let counter = 0;

async function cluster(n: number) {
  const schema = `hltest_desk_${process.pid}_${Date.now()}_${counter++}`;
  schemas.push(schema);
  const bus = new Bus();
  const clock = { t: 1_000_000 };
  const instances = [];
  for (let i = 0; i < n; i++) {
    const store = await PgStore.open({ url: POSTGRES.url, schema });
    stores.push(store);
    const desk = new HandoffDesk({ store, now: () => clock.t, share: bus.share(`i${i}`) });
    await desk.open();
    const sent: { n: Notification; remote: boolean }[] = [];
    desk.subscribe((note, remote) => sent.push({ n: note, remote }));
    instances.push({ store, desk, sent });
  }
  return { bus, clock, instances };
}

/** Until every instance has taken the others' news. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

afterAll(async () => {
  for (const s of stores.splice(0)) await s.close();
  if (!pgReady) return;
  const admin = await PgStore.open({ url: POSTGRES.url, schema: 'hltest_admin' });
  for (const schema of [...schemas, 'hltest_admin']) await admin.dropSchema(schema);
  await admin.close();
});

describe.runIf(pgReady)('the handoff desk shared by instances on PostgreSQL (issue 15)', () => {
  let a: Awaited<ReturnType<typeof cluster>>['instances'][number];
  let b: Awaited<ReturnType<typeof cluster>>['instances'][number];
  let bus: Bus;

  beforeAll(async () => {
    const c = await cluster(2);
    [a, b] = c.instances as [typeof a, typeof b];
    bus = c.bus;
  });

  it('shows on one instance the queue the other changed, and tells its news there as remote', async () => {
    // One agent online, busy with a first chat: the next request waits in the queue.
    await b.desk.register('busy', { capacity: 1 });
    await a.desk.record({ sessionId: 'q0', role: 'user', text: '我要转人工', channel: 'web' });
    expect((await a.desk.request('q0', { reason: 'requested', channel: 'web' })).state).toBe('agent');
    await a.desk.record({ sessionId: 'q1', role: 'user', text: '我要转人工', channel: 'web' });
    const result = await a.desk.request('q1', { reason: 'requested', channel: 'web', region: '大连' });
    expect(result.state).toBe('queued');
    await settle();
    expect(b.desk.queue().items.map((q) => q.sessionId)).toEqual(['q1']);
    expect(b.desk.standing('q1')).toEqual(a.desk.standing('q1'));
    expect(b.sent.find((s) => s.n.to === 'session' && s.n.kind === 'queued')).toMatchObject({ remote: true });
    expect(a.sent.find((s) => s.n.to === 'session' && s.n.kind === 'queued')).toMatchObject({ remote: false });
  });

  it('assigns a queued chat exactly once when agents on both instances accept it at once', async () => {
    const agents = Array.from({ length: 100 }, (_, i) => `agent-${i}`);
    for (const [i, id] of agents.entries()) await (i % 2 ? b : a).desk.register(id, { capacity: 1, presence: 'away' });
    const accepts = await Promise.allSettled(agents.map((id, i) => (i % 2 ? b : a).desk.accept(id, 'q1')));
    const won = accepts.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of accepts.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'HL_ERR_BAD_TRANSITION' });
    const conv = await a.store.getConversation('q1');
    expect(conv?.state).toBe('agent');
    const handoffs = (await a.store.events('q1')).filter((e) => e.event === 'handoff.assigned');
    expect(handoffs).toHaveLength(1);
    await settle();
    const holders = [...a.desk.agents(), ...b.desk.agents()].filter((x) => x.chats.includes('q1'));
    // Both instances agree on the one agent holding it.
    expect(new Set(holders.map((h) => h.agentId)).size).toBe(1);
  });

  it('lets a turn with the bot run under the shared lock, and a turn in a queued chat take the exclusive one', async () => {
    const before = await a.store.lockDesk('exclusive');
    const turn = await a.desk.grouped((run) => run.record({ sessionId: 'bot1', role: 'user', text: '门诊报销比例', channel: 'api' }));
    expect(turn.state).toBe('bot');
    // The desk's state was not saved again for a turn that did not touch it.
    expect((await a.store.lockDesk('exclusive'))?.version).toBe(before?.version);
    await b.desk.record({ sessionId: 'q2', role: 'user', text: '转人工', channel: 'web' });
    await b.desk.request('q2', { reason: 'requested', channel: 'web' });
    await settle();
    const queued = await a.desk.grouped((run) => run.record({ sessionId: 'q2', role: 'user', text: '还要等多久', channel: 'web' }));
    expect(queued.state).toBe('queued');
    await settle();
    expect(b.desk.queue().items.find((q) => q.sessionId === 'q2')?.lastUserText).toBe('还要等多久');
  });

  it('works out a handed-over turn’s reply once, though the turn runs again under the exclusive lock', async () => {
    const config = loadConfig({});
    const kb = await projectKnowledge();
    const assistant = await buildAssistant(config);
    const concierge = new Concierge(assistant, a.desk, { sessionTtlMs: config.sessions.ttlMs, now: Date.now });
    const answer = vi.spyOn(assistant, 'answer');
    const outcome = await concierge.handle(kb, { sessionId: 'h1', channel: 'api', text: '转人工' });
    expect(outcome).toMatchObject({ kind: 'bot', reply: { type: 'handoff' } });
    expect((await a.store.getConversation('h1'))?.state).toBe('queued');
    expect(answer).toHaveBeenCalledTimes(1);
  });

  it('signs off the agents of an instance that stopped: their chats go back to the queue', async () => {
    const holder = [...a.desk.agents(), ...b.desk.agents()].find((x) => x.chats.includes('q1'));
    const instance = holder?.instance as string;
    const survivor = instance === 'i0' ? b : a;
    bus.alive.delete(instance);
    await survivor.desk.tick();
    expect((await survivor.store.getConversation('q1'))?.state).toBe('queued');
    expect(survivor.desk.agents().some((x) => x.instance === instance)).toBe(false);
  });
});
