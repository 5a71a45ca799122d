/**
 * Issue 14, group commit: a user's turn runs at once but is only told, and its notifications only delivered,
 * once the store has committed it with the other turns of the same tick; when that commit fails every turn
 * waiting for it fails with HL_ERR_INTERNAL and the desk's memory (the queue) is as it was at the last commit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CoalescingStore, SqliteStore } from '../../src/store/index.js';
import { deskWith } from './desk-helpers.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0).reverse()) fn();
});

function sqliteDesk() {
  const dir = mkdtempSync(join(tmpdir(), 'hl-desk-group-'));
  const raw = new SqliteStore({ dataDir: dir });
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanup.push(() => raw.close());
  const d = deskWith({ store: new CoalescingStore(raw) });
  d.desk.register('a1', { capacity: 1, presence: 'online' });
  d.clear();
  const sql = (raw as unknown as { sql: { commit: { run: () => unknown } } }).sql;
  const commit = sql.commit;
  return {
    ...d,
    raw,
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

describe('the desk’s grouped runs (issue 14)', () => {
  it('delivers a turn’s notifications and resolves it only once the turns of its tick have committed together', async () => {
    const { desk, raw, sent } = sqliteDesk();
    const other = new Database(raw.file, { readonly: true });
    cleanup.push(() => other.close());
    const stored = () => (other.prepare('SELECT COUNT(*) AS n FROM transcript').get() as { n: number }).n;
    const order: string[] = [];
    const first = desk
      .grouped(() => {
        desk.record(turn('s1'));
        return desk.request('s1', { reason: 'requested', channel: 'web' });
      })
      .then((r) => order.push(`s1 ${r.state}`));
    const second = desk.grouped(() => desk.record(turn('s2'))).then(() => order.push('s2'));
    expect(desk.waitingCount()).toBe(0);
    expect(sent).toEqual([]);
    expect(stored()).toBe(0);
    await Promise.all([first, second]);
    expect(order).toEqual(['s1 agent', 's2']);
    expect(stored()).toBe(2);
    expect(sent.some((n) => n.to === 'session' && n.sessionId === 's1' && n.kind === 'assigned')).toBe(true);
  });

  it('fails every turn of a tick whose commit fails, sends none of their news, and puts the desk back', async () => {
    const { desk, ask, clear, sent, failCommits, healCommits } = sqliteDesk();
    // The one agent is busy: requests wait in the queue.
    ask('busy');
    clear();
    failCommits();
    const turns = ['s1', 's2'].map((id) =>
      desk.grouped(() => {
        desk.record(turn(id));
        return desk.request(id, { reason: 'requested', channel: 'web' });
      }),
    );
    // Queued at once in memory (the turns of the tick see each other) …
    expect(desk.waitingCount()).toBe(2);
    for (const t of turns) await expect(t).rejects.toMatchObject({ code: 'HL_ERR_INTERNAL' });
    // … and gone again with the transaction.
    expect(desk.waitingCount()).toBe(0);
    expect(desk.queue().items).toEqual([]);
    expect(sent.filter((n) => n.to === 'session')).toEqual([]);
    expect(desk.conversation('s1')).toBeUndefined();
    expect(desk.conversation('busy')?.state).toBe('agent');
    healCommits();
    const again = await desk.grouped(() => {
      desk.record(turn('s1'));
      return desk.request('s1', { reason: 'requested', channel: 'web' });
    });
    expect(again).toMatchObject({ state: 'queued', position: 1 });
    expect(desk.conversation('s1')?.state).toBe('queued');
  });

  it('puts the desk back to the last commit when an operation outside a turn commits the tick’s turns and fails', async () => {
    const { desk, ask, failCommits } = sqliteDesk();
    ask('busy');
    failCommits();
    const waiting = desk.grouped(() => {
      desk.record(turn('s1'));
      return desk.request('s1', { reason: 'requested', channel: 'web' });
    });
    expect(desk.waitingCount()).toBe(1);
    expect(() => desk.record({ sessionId: 's9', role: 'user', text: '你好', channel: 'web' })).toThrowError(
      expect.objectContaining({ code: 'HL_ERR_INTERNAL' }),
    );
    expect(desk.waitingCount()).toBe(0);
    await expect(waiting).rejects.toMatchObject({ code: 'HL_ERR_INTERNAL' });
    expect(desk.waitingCount()).toBe(0);
  });
});
