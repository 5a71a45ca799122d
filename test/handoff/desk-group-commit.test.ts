/**
 * Issue 14, group commit: a user's turn runs at once but is only told, and its notifications only delivered,
 * once the store has committed it with the other turns of the same tick; when that commit fails every turn
 * waiting for it fails with HL_ERR_INTERNAL and the desk's memory (the queue) is as it was at the last commit.
 * Issue 15: the desk runs one operation at a time (two called at once do not interleave their store work), and
 * delivers an operation's notifications only once it has committed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskRun } from '../../src/handoff/desk.js';
import { CoalescingStore, MemoryStore, SqliteStore } from '../../src/store/index.js';
import type { Store, StoreData } from '../../src/store/types.js';
import { deskWith } from './desk-helpers.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function sqliteDesk() {
  const dir = mkdtempSync(join(tmpdir(), 'hl-desk-group-'));
  const raw = new SqliteStore({ dataDir: dir });
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanup.push(() => raw.close());
  const d = deskWith({ store: new CoalescingStore(raw) });
  await d.desk.register('a1', { capacity: 1, presence: 'online' });
  d.clear();
  const sql = (raw as unknown as { engine: { sql: { commit: { run: () => unknown } } } }).engine.sql;
  const commit = sql.commit;
  /** A second connection to the file: it sees only what has committed. */
  const other = new Database(raw.file, { readonly: true });
  cleanup.push(() => other.close());
  return {
    ...d,
    raw,
    /** How many transcript lines have committed. */
    stored: () => (other.prepare('SELECT COUNT(*) AS n FROM transcript').get() as { n: number }).n,
    /** How many of the session's state events have committed. */
    committedEvents: (sessionId: string) =>
      (other.prepare('SELECT COUNT(*) AS n FROM state_events WHERE session_id = ?').get(sessionId) as { n: number }).n,
    failCommits() {
      sql.commit = {
        run: () => {
          throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
        },
      };
    },
    healCommits() {
      sql.commit = commit;
    },
  };
}

const turn = (sessionId: string) => ({ sessionId, role: 'user' as const, text: '我要转人工', channel: 'web' as const });

/** A user's turn: what they said, and their request for a person. */
const askTurn = (sessionId: string) => async (run: DeskRun) => {
  await run.record(turn(sessionId));
  return run.request(sessionId, { reason: 'requested', channel: 'web' });
};

/**
 * A memory store whose units neither run one at a time nor answer at once: each call a unit makes waits for `gate`
 * and then for the next turn of the event loop, so two units left to themselves would interleave. Every call is
 * logged with the session it is about, between the `begin` and `end` of its unit.
 */
function slowStore() {
  const inner = new MemoryStore();
  const log: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  let open = () => {};
  const about = (arg: unknown) =>
    typeof arg === 'string' ? arg : typeof arg === 'number' ? `#${arg}` : ((arg as { sessionId?: string } | undefined)?.sessionId ?? '');
  const slow = new Proxy(inner as StoreData, {
    get(target, name) {
      const value = Reflect.get(target, name);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        log.push(`${String(name)} ${about(args[0])}`);
        await gate;
        await new Promise((resolve) => setImmediate(resolve));
        return value.apply(target, args);
      };
    },
  });
  const store = new Proxy(inner as Store, {
    get(target, name, receiver) {
      if (name !== 'atomic') return Reflect.get(target, name, receiver);
      return async (fn: (tx: StoreData) => Promise<unknown>) => {
        log.push('begin');
        try {
          return await fn(slow);
        } finally {
          log.push('end');
        }
      };
    },
  });
  return {
    store,
    log,
    /** From now on every call waits … */
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    /** … until this. */
    letGo() {
      open();
    },
  };
}

/** The log cut into units: the calls between each `begin` and its `end`; a call outside any unit, or units nested, fail. */
function units(log: string[]): string[][] {
  const cut: string[][] = [];
  let current: string[] | null = null;
  for (const entry of log) {
    if (entry === 'begin') {
      expect(current).toBeNull();
      current = [];
    } else if (entry === 'end') {
      expect(current).not.toBeNull();
      cut.push(current as string[]);
      current = null;
    } else {
      expect(current).not.toBeNull();
      current?.push(entry);
    }
  }
  expect(current).toBeNull();
  return cut;
}

describe('the desk’s grouped runs (issue 14)', () => {
  it('delivers a turn’s notifications and resolves it only once the turns of its tick have committed together', async () => {
    const { desk, sent, stored } = await sqliteDesk();
    const order: string[] = [];
    let assignedTold: number | undefined;
    desk.subscribe((n) => {
      if (n.to === 'session' && n.sessionId === 's1' && n.kind === 'assigned') assignedTold = stored();
    });
    let during: unknown;
    const first = desk.grouped(askTurn('s1')).then((r) => order.push(`s1 ${r.state} ${stored()}`));
    const second = desk
      .grouped(async (run) => {
        const r = await run.record(turn('s2'));
        // s1's turn has run (its session is with the agent), but nothing of the tick has committed or been told yet.
        during = { waiting: desk.waitingCount(), chats: desk.agent('a1')?.chats, sent: sent.length, stored: stored() };
        return r;
      })
      .then(() => order.push(`s2 ${stored()}`));
    await Promise.all([first, second]);
    expect(during).toEqual({ waiting: 0, chats: ['s1'], sent: 0, stored: 0 });
    // Each resolved once both turns had committed, in one transaction, and in the order asked.
    expect(order).toEqual(['s1 agent 2', 's2 2']);
    expect(stored()).toBe(2);
    expect(sent.some((n) => n.to === 'session' && n.sessionId === 's1' && n.kind === 'assigned')).toBe(true);
    // Told once the tick had committed.
    expect(assignedTold).toBe(2);
  });

  it('fails every turn of a tick whose commit fails, sends none of their news, and puts the desk back', async () => {
    const { desk, ask, clear, sent, failCommits, healCommits } = await sqliteDesk();
    // The one agent is busy: requests wait in the queue.
    await ask('busy');
    clear();
    failCommits();
    let waitingInTick: number | undefined;
    const turns = ['s1', 's2'].map((id) =>
      desk.grouped(async (run) => {
        const result = await askTurn(id)(run);
        waitingInTick = desk.waitingCount();
        return result;
      }),
    );
    for (const t of turns) await expect(t).rejects.toMatchObject({ code: 'HL_ERR_INTERNAL' });
    // Queued at once in memory (the turns of the tick see each other) …
    expect(waitingInTick).toBe(2);
    // … and gone again with the transaction.
    expect(desk.waitingCount()).toBe(0);
    expect(desk.queue().items).toEqual([]);
    expect(sent.filter((n) => n.to === 'session')).toEqual([]);
    expect(await desk.conversation('s1')).toBeUndefined();
    expect((await desk.conversation('busy'))?.state).toBe('agent');
    healCommits();
    const again = await desk.grouped(askTurn('s1'));
    expect(again).toMatchObject({ state: 'queued', position: 1 });
    expect((await desk.conversation('s1'))?.state).toBe('queued');
  });

  // The turn's own failure is told first; the run that made the failing commit must still put the desk back to the
  // last commit, not to its own start (found converting these tests: s1 stayed queued though the store lost it).
  it('puts the desk back to the last commit when an operation outside a turn commits the tick’s turns and fails', async () => {
    const { desk, ask, failCommits } = await sqliteDesk();
    await ask('busy');
    failCommits();
    let waitingInTick: number | undefined;
    const waiting = desk.grouped(async (run) => {
      const result = await askTurn('s1')(run);
      waitingInTick = desk.waitingCount();
      return result;
    });
    // Asked in the same tick: it runs after the turn, and its commit is the tick's.
    const outside = desk.record({ sessionId: 's9', role: 'user', text: '你好', channel: 'web' });
    await expect(outside).rejects.toThrowError(expect.objectContaining({ code: 'HL_ERR_INTERNAL' }));
    expect(waitingInTick).toBe(1);
    expect(desk.waitingCount()).toBe(0);
    await expect(waiting).rejects.toMatchObject({ code: 'HL_ERR_INTERNAL' });
    expect(desk.waitingCount()).toBe(0);
  });
});

describe('the desk runs one operation at a time (issue 15)', () => {
  it('runs two operations called at once one after the other: their store work does not interleave, the second waits', async () => {
    const { store, log, hold, letGo } = slowStore();
    const { desk, say } = deskWith({ store });
    await desk.register('a1', { capacity: 1 });
    await say('s1');
    await say('s2');
    log.length = 0;
    hold();
    const settled: string[] = [];
    const first = desk.request('s1', { reason: 'requested', channel: 'web' });
    const second = desk.request('s2', { reason: 'requested', channel: 'web' });
    void first.then(() => settled.push('s1'));
    void second.then(() => settled.push('s2'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The first is stuck on its first read; the second has not begun.
    expect(log).toEqual(['begin', 'getConversation s1']);
    expect(settled).toEqual([]);
    letGo();
    const [r1, r2] = await Promise.all([first, second]);
    expect(settled).toEqual(['s1', 's2']);
    const [one, two, ...more] = units(log);
    expect(more).toEqual([]);
    expect(one?.length).toBeGreaterThan(0);
    expect(two?.length).toBeGreaterThan(0);
    expect(one?.filter((call) => call.endsWith(' s2'))).toEqual([]);
    expect(two?.filter((call) => call.endsWith(' s1'))).toEqual([]);
    // One after the other, the second saw what the first left: the one agent busy with s1.
    expect(r1).toMatchObject({ state: 'agent' });
    expect(r2).toMatchObject({ state: 'queued', position: 1 });
    expect(desk.agents()).toEqual([{ agentId: 'a1', presence: 'online', capacity: 1, chats: ['s1'], instance: null }]);
  });

  it('delivers an operation’s notifications only once it has committed', async () => {
    const { desk, ask, committedEvents } = await sqliteDesk();
    const told: { to: string; sessionId: string; kind: string; committed: number }[] = [];
    desk.subscribe((n) => {
      if (n.to !== 'agents') told.push({ to: n.to, sessionId: n.sessionId, kind: n.kind, committed: committedEvents(n.sessionId) });
    });
    await ask('s1');
    // handoff.requested and handoff.assigned had both committed before the first word of them.
    expect(told).toEqual([
      { to: 'session', sessionId: 's1', kind: 'queued', committed: 2 },
      { to: 'session', sessionId: 's1', kind: 'assigned', committed: 2 },
      { to: 'agent', sessionId: 's1', kind: 'assigned', committed: 2 },
    ]);
    told.length = 0;
    await ask('s2');
    await desk.release('a1', 's1');
    // s2 queued (1 event), then s1 released (requeued: 3) and s2 given to a1 (assigned: 2), told after that commit.
    expect(told).toEqual([
      { to: 'session', sessionId: 's2', kind: 'queued', committed: 1 },
      { to: 'session', sessionId: 's1', kind: 'requeued', committed: 3 },
      { to: 'session', sessionId: 's2', kind: 'assigned', committed: 2 },
      { to: 'agent', sessionId: 's2', kind: 'assigned', committed: 2 },
    ]);
  });
});
