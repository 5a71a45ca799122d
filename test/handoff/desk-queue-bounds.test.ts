import { describe, expect, it } from 'vitest';
import type { AgentsNotification } from '../../src/handoff/notifications.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { Store, StoreData } from '../../src/store/types.js';
import { deskWith } from './desk-helpers.js';

/**
 * A memory store that counts the reads of conversations and handoffs: those made outside any unit and those a unit
 * (`atomic`, `groupCommit`) makes through the records it is given, where the desk's steps read.
 */
function countingStore(): { store: Store; reads: () => number } {
  const inner = new MemoryStore();
  let reads = 0;
  const counted = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, name, receiver) {
        const value = Reflect.get(t, name, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (name === 'getConversation' || name === 'openHandoff') reads++;
          if (name === 'atomic' || name === 'groupCommit') {
            const fn = args[0] as (tx: StoreData) => Promise<unknown>;
            return value.call(t, (tx: StoreData) => fn(counted(tx)));
          }
          return value.apply(t, args);
        };
      },
    });
  return { store: counted<Store>(inner), reads: () => reads };
}

describe('the handoff queue is bounded and cheap (issue 12, defect 2)', () => {
  it('turns a request away past HANDOFF_QUEUE_MAX: hotline and callback, the queue untouched', async () => {
    const { desk, store, ask, toSession } = deskWith({ config: { maxWaiting: 3 } });
    await desk.register('a1', { capacity: 1 });
    await ask('s0');
    for (const s of ['s1', 's2', 's3']) expect((await ask(s)).state).toBe('queued');
    const refused = await ask('s4');
    expect(refused).toMatchObject({ state: 'bot', unavailable: 'queue-full', position: null });
    expect(toSession('s4').at(-1)).toEqual({
      to: 'session',
      sessionId: 's4',
      channel: 'web',
      region: null,
      state: 'bot',
      kind: 'unavailable',
      reason: 'queue-full',
    });
    expect((await store.getConversation('s4'))?.state).toBe('bot');
    expect(await store.getHandoff(refused.handoffId)).toMatchObject({ status: 'unavailable' });
    expect(desk.waitingCount()).toBe(3);
    // A place freed is a place again.
    await desk.cancel('s2');
    expect(await ask('s4')).toMatchObject({ state: 'queued', position: 3 });
  });

  it('caps the sessions waiting from one client address, not the others', async () => {
    const { desk, ask } = deskWith({ config: { maxWaitingPerOrigin: 2 } });
    await desk.register('a1', { capacity: 1 });
    await ask('busy', null, '10.0.0.9');
    expect((await ask('a', null, '10.0.0.1')).state).toBe('queued');
    expect((await ask('b', null, '10.0.0.1')).state).toBe('queued');
    expect(await ask('c', null, '10.0.0.1')).toMatchObject({ state: 'bot', unavailable: 'queue-full' });
    expect((await ask('d', null, '10.0.0.2')).state).toBe('queued');
    // One of the address's sessions taken by an agent frees its place.
    await desk.register('a2', { capacity: 1 });
    expect(desk.standing('a')).toBeNull();
    expect((await ask('c', null, '10.0.0.1')).state).toBe('queued');
  });

  it('sends agents the front page and the total, and nothing for a change behind the page', async () => {
    const { desk, ask, say, sent, clear } = deskWith({ config: { queuePage: 2 } });
    await desk.register('a1', { capacity: 1 });
    await ask('s0');
    for (const s of ['s1', 's2', 's3', 's4']) await ask(s);
    const queues = () => sent.filter((n): n is Extract<AgentsNotification, { kind: 'queue' }> => n.to === 'agents' && n.kind === 'queue');
    expect(queues().at(-1)).toMatchObject({ total: 4, items: [{ sessionId: 's1' }, { sessionId: 's2' }] });
    expect(queues().at(-1)?.items).toHaveLength(2);
    clear();
    await say('s4', '还要等多久');
    expect(queues()).toEqual([]);
    await say('s1', '还要等多久');
    expect(queues()).toEqual([
      expect.objectContaining({ total: 4, items: [expect.objectContaining({ lastUserText: '还要等多久' }), expect.anything()] }),
    ]);
    expect(desk.queue()).toMatchObject({ total: 4, items: [{ position: 1 }, { position: 2 }] });
  });

  it('reads the store a bounded number of times per operation, however long the queue', async () => {
    const { store, reads } = countingStore();
    const { desk, ask, say } = deskWith({ store, config: { maxWaiting: 1000, maxWaitingPerOrigin: 1000 } });
    await desk.register('a1', { capacity: 1 });
    for (let i = 0; i < 300; i++) await ask(`s${i}`);
    const before = reads();
    await ask('late');
    await say('s150', '请问还要多久');
    await desk.cancel('s10');
    // Before the fix each operation read every waiting session's conversation (and handoff): 600+ reads each.
    expect(reads() - before).toBeLessThan(20);
    // The operations did read, through their units: the count is not vacuous.
    expect(reads() - before).toBeGreaterThan(0);
    expect(desk.standing('late')).toEqual({ position: 299, estimatedWaitMs: 299 * 180_000 });
  });
});
