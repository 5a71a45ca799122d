import { describe, expect, it } from 'vitest';
import { newSession, StoredSessionStore } from '../../src/dialogue/session.js';
import { MemoryStore } from '../../src/store/memory.js';

describe('dialogue sessions kept in the conversation store (issue 13: the topic survives a restart)', () => {
  const state = { ...newSession(), region: '大连', pending: true };

  it('reads back what another instance (or the one before a restart) wrote, until it is idle past the TTL', () => {
    const clock = { t: 1_000 };
    const store = new MemoryStore();
    new StoredSessionStore(store, { max: 10, ttlMs: 60_000, now: () => clock.t }).set('s1', state);
    const fresh = new StoredSessionStore(store, { max: 10, ttlMs: 60_000, now: () => clock.t });
    expect(fresh.get('s1')).toEqual(state);
    clock.t += 60_000;
    expect(new StoredSessionStore(store, { max: 10, ttlMs: 60_000, now: () => clock.t }).get('s1')).toBeUndefined();
  });

  it('prunes the states idle past the TTL and keeps the others', () => {
    const clock = { t: 0 };
    const store = new MemoryStore();
    const sessions = new StoredSessionStore(store, { max: 10, ttlMs: 1_000, now: () => clock.t });
    sessions.set('old', state);
    clock.t = 900;
    sessions.set('new', state);
    clock.t = 1_500;
    expect(sessions.prune()).toBe(1);
    expect(store.getSession('old')).toBeUndefined();
    expect(store.getSession('new')).toBeDefined();
  });

  it('forgets a state whose turn was rolled back, as the store did, and keeps one whose turn committed', async () => {
    const store = new MemoryStore();
    const sessions = new StoredSessionStore(store, { max: 10, ttlMs: 60_000 });
    sessions.set('s1', state);
    const later = { ...state, region: '沈阳' };
    expect(() =>
      store.atomic(() => {
        sessions.set('s1', later);
        // Inside its turn the new state is what the turn sees.
        expect(sessions.get('s1')).toEqual(later);
        throw new Error('the turn failed');
      }),
    ).toThrow('the turn failed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(sessions.get('s1')).toEqual(state);
    store.atomic(() => sessions.set('s1', later));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sessions.get('s1')).toEqual(later);
  });

  it('starts afresh from a stored state it cannot read', () => {
    const store = new MemoryStore();
    store.putSession('s1', '{not json', Date.now());
    store.putSession('s2', '{"region":"大连"}', Date.now());
    const sessions = new StoredSessionStore(store, { max: 10, ttlMs: 60_000 });
    expect(sessions.get('s1')).toBeUndefined();
    expect(sessions.get('s2')).toBeUndefined();
  });
});
