import { describe, expect, it } from 'vitest';
import type { AgentsNotification } from '../../src/handoff/notifications.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { Store } from '../../src/store/types.js';
import { deskWith } from './desk-helpers.js';

/** A memory store that counts the reads of conversations and handoffs. */
function countingStore(): { store: Store; reads: () => number } {
  const inner = new MemoryStore();
  let reads = 0;
  const store = new Proxy(inner, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (name === 'getConversation' || name === 'openHandoff') reads++;
        return value.apply(target, args);
      };
    },
  });
  return { store, reads: () => reads };
}

describe('the handoff queue is bounded and cheap (issue 12, defect 2)', () => {
  it('turns a request away past HANDOFF_QUEUE_MAX: hotline and callback, the queue untouched', () => {
    const { desk, store, ask, toSession } = deskWith({ config: { maxWaiting: 3 } });
    desk.register('a1', { capacity: 1 });
    ask('s0');
    for (const s of ['s1', 's2', 's3']) expect(ask(s).state).toBe('queued');
    const refused = ask('s4');
    expect(refused).toMatchObject({ state: 'bot', unavailable: 'queue-full', position: null });
    expect(toSession('s4').at(-1)).toEqual({ to: 'session', sessionId: 's4', kind: 'unavailable', reason: 'queue-full' });
    expect(store.getConversation('s4')?.state).toBe('bot');
    expect(store.getHandoff(refused.handoffId)).toMatchObject({ status: 'unavailable' });
    expect(desk.waitingCount()).toBe(3);
    // A place freed is a place again.
    desk.cancel('s2');
    expect(ask('s4')).toMatchObject({ state: 'queued', position: 3 });
  });

  it('caps the sessions waiting from one client address, not the others', () => {
    const { desk, ask } = deskWith({ config: { maxWaitingPerOrigin: 2 } });
    desk.register('a1', { capacity: 1 });
    ask('busy', null, '10.0.0.9');
    expect(ask('a', null, '10.0.0.1').state).toBe('queued');
    expect(ask('b', null, '10.0.0.1').state).toBe('queued');
    expect(ask('c', null, '10.0.0.1')).toMatchObject({ state: 'bot', unavailable: 'queue-full' });
    expect(ask('d', null, '10.0.0.2').state).toBe('queued');
    // One of the address's sessions taken by an agent frees its place.
    desk.register('a2', { capacity: 1 });
    expect(desk.standing('a')).toBeNull();
    expect(ask('c', null, '10.0.0.1').state).toBe('queued');
  });

  it('sends agents the front page and the total, and nothing for a change behind the page', () => {
    const { desk, ask, say, sent, clear } = deskWith({ config: { queuePage: 2 } });
    desk.register('a1', { capacity: 1 });
    ask('s0');
    for (const s of ['s1', 's2', 's3', 's4']) ask(s);
    const queues = () => sent.filter((n): n is Extract<AgentsNotification, { kind: 'queue' }> => n.to === 'agents' && n.kind === 'queue');
    expect(queues().at(-1)).toMatchObject({ total: 4, items: [{ sessionId: 's1' }, { sessionId: 's2' }] });
    expect(queues().at(-1)?.items).toHaveLength(2);
    clear();
    say('s4', '还要等多久');
    expect(queues()).toEqual([]);
    say('s1', '还要等多久');
    expect(queues()).toEqual([
      expect.objectContaining({ total: 4, items: [expect.objectContaining({ lastUserText: '还要等多久' }), expect.anything()] }),
    ]);
    expect(desk.queue()).toMatchObject({ total: 4, items: [{ position: 1 }, { position: 2 }] });
  });

  it('reads the store a bounded number of times per operation, however long the queue', () => {
    const { store, reads } = countingStore();
    const { desk, ask, say } = deskWith({ store, config: { maxWaiting: 1000, maxWaitingPerOrigin: 1000 } });
    desk.register('a1', { capacity: 1 });
    for (let i = 0; i < 300; i++) ask(`s${i}`);
    const before = reads();
    ask('late');
    say('s150', '请问还要多久');
    desk.cancel('s10');
    // Before the fix each operation read every waiting session's conversation (and handoff): 600+ reads each.
    expect(reads() - before).toBeLessThan(20);
    expect(desk.standing('late')).toEqual({ position: 299, estimatedWaitMs: 299 * 180_000 });
  });
});
