/**
 * What only the SQLite store has to show: it survives reopening and a killed process, runs in WAL
 * mode, and migrates its schema by `user_version`.
 */
import { spawn } from 'node:child_process';
import { fstatSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.js';
import { MIGRATIONS } from '../../src/store/sqlite-schema.js';
import type { StoreData } from '../../src/store/types.js';
import { ROOT } from '../helpers/knowledge.js';
import { conversation } from './records.js';

const dirs: string[] = [];

function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hl-sqlite-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The engine's prepared statements, to make a commit fail as a full or failing disk would. */
function sqlOf(store: SqliteStore): { commit: { run: () => unknown } } {
  return (store as unknown as { engine: { sql: { commit: { run: () => unknown } } } }).engine.sql;
}

const newTicket = (sessionId: string, createdAt: number) => ({
  sessionId,
  phone: '13812345678',
  question: '怎么备案',
  region: null,
  createdAt,
});

describe('SqliteStore', () => {
  it('keeps everything when reopened on the same file, and ticket ids continue', async () => {
    const dataDir = tmp();
    const first = new SqliteStore({ dataDir });
    await first.putConversation({
      sessionId: 's1',
      channel: 'wechat',
      region: '包头',
      state: 'ticket',
      agentId: null,
      queuedAt: 5,
      createdAt: 1,
      updatedAt: 9,
      lastUserText: '我要人工',
    });
    await first.appendTranscript({ sessionId: 's1', role: 'bot', text: '答复', reply: { citations: [{ clause: '五' }] }, at: 2 });
    const handoff = await first.createHandoff({ sessionId: 's1', reason: 'user-request', region: '包头', requestedAt: 5 });
    await first.updateHandoff(handoff.id, { status: 'cancelled', endedAt: 8, resolution: 'ticket T000002' });
    await first.createTicket(newTicket('s0', 3));
    await first.createTicket(newTicket('s1', 8));
    await first.appendEvent({
      sessionId: 's1',
      event: 'ticket.created',
      from: 'queued',
      to: 'ticket',
      at: 8,
      data: { ticketId: 'T000002' },
    });
    await first.close();

    const again = new SqliteStore({ dataDir });
    expect(await again.getConversation('s1')).toMatchObject({ channel: 'wechat', state: 'ticket', queuedAt: 5, lastUserText: '我要人工' });
    expect((await again.transcript('s1'))[0]?.reply).toEqual({ citations: [{ clause: '五' }] });
    expect(await again.getHandoff(handoff.id)).toMatchObject({ status: 'cancelled', resolution: 'ticket T000002' });
    expect((await again.listTickets()).map((t) => t.id)).toEqual(['T000002', 'T000001']);
    expect(await again.events('s1')).toHaveLength(1);
    expect((await again.createTicket(newTicket('s2', 10))).id).toBe('T000003');
    expect((await again.createHandoff({ sessionId: 's2', reason: 'x', region: null, requestedAt: 10 })).id).toBeGreaterThan(handoff.id);
    await again.close();
  });

  it('runs in WAL mode with synchronous=NORMAL and a busy timeout, at the latest schema version', async () => {
    const store = new SqliteStore({ dataDir: join(tmp(), 'made', 'for', 'it') });
    expect(store.settings()).toEqual({ journalMode: 'wal', synchronous: 1, busyTimeoutMs: 5000, schemaVersion: MIGRATIONS.length });
    await store.createTicket(newTicket('s1', 1));
    const other = new Database(store.file, { readonly: true });
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(other.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    other.close();
    await store.close();
  });

  it('commits the units of one tick in one transaction: another connection sees none of them, then all (issue 14)', async () => {
    const store = new SqliteStore({ dataDir: tmp() });
    const other = new Database(store.file, { readonly: true });
    const count = () => (other.prepare('SELECT COUNT(*) AS n FROM transcript').get() as { n: number }).n;
    const units = await Promise.all(
      ['甲', '乙', '丙'].map((text, i) =>
        store.groupCommit((tx) => tx.appendTranscript({ sessionId: `s${i}`, role: 'user', text, at: i })),
      ),
    );
    expect(count()).toBe(0);
    await Promise.all(units.map((u) => u.committed));
    expect(count()).toBe(3);
    other.close();
    await store.close();
  });

  it('fails every unit waiting for a commit that fails with HL_ERR_INTERNAL, keeps none of them, and goes on', async () => {
    const store = new SqliteStore({ dataDir: tmp() });
    const sql = sqlOf(store);
    const commit = sql.commit;
    // A disk that fails when the group commits.
    sql.commit = {
      run: () => {
        throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
      },
    };
    const units = await Promise.all(
      ['a', 'b'].map((id) => store.groupCommit((tx) => tx.putConversation(conversation(id, { channel: 'api' })))),
    );
    for (const u of units) await expect(u.committed).rejects.toMatchObject({ code: 'HL_ERR_INTERNAL' });
    expect(await store.getConversation('a')).toBeUndefined();
    expect(await store.getConversation('b')).toBeUndefined();
    sql.commit = commit;
    const next = await store.groupCommit((tx) => tx.putConversation(conversation('c', { channel: 'api' })));
    await next.committed;
    expect(await store.getConversation('c')).toBeDefined();
    await store.close();
  });

  it('keeps nothing of a unit whose transaction SQLite rolled back on a full disk, even when the unit caught the error and went on', async () => {
    const store = new SqliteStore({ dataDir: tmp() });
    const db = (store as unknown as { engine: { db: Database.Database } }).engine.db;
    // A disk with two pages to spare: a long transcript line fills it, and SQLite rolls the whole transaction back.
    const room = (pages: number) => db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + pages}`);
    room(2);
    const tooLong = (sessionId: string) => ({ sessionId, role: 'user', text: '长'.repeat(100_000), at: 1 }) as const;
    /** A unit that writes, meets the full disk, shrugs it off and writes again. */
    const stubborn = (id: string) => async (tx: StoreData) => {
      await tx.putConversation(conversation(`${id} before`, { channel: 'api' }));
      await expect(tx.appendTranscript(tooLong(id))).rejects.toMatchObject({ code: 'SQLITE_FULL' });
      await tx.putConversation(conversation(`${id} after`, { channel: 'api' }));
    };
    await expect(store.atomic(stubborn('block'))).rejects.toMatchObject({ code: 'HL_ERR_INTERNAL' });
    const waiting = await store.groupCommit((tx) => tx.putConversation(conversation('waiting', { channel: 'api' })));
    await expect(store.groupCommit(stubborn('grouped'))).rejects.toMatchObject({ code: 'HL_ERR_INTERNAL' });
    await expect(waiting.committed).rejects.toMatchObject({ code: 'HL_ERR_INTERNAL' });
    // One that writes nothing more is told alike.
    const quiet = store.groupCommit(async (tx) => {
      await expect(tx.appendTranscript(tooLong('quiet'))).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    });
    await expect(quiet).rejects.toMatchObject({ code: 'HL_ERR_INTERNAL' });
    for (const id of ['block before', 'block after', 'waiting', 'grouped before', 'grouped after'])
      expect(await store.getConversation(id), id).toBeUndefined();
    room(1000);
    await (await store.groupCommit((tx) => tx.appendTranscript(tooLong('fits')))).committed;
    expect(await store.transcript('fits')).toHaveLength(1);
    await store.close();
  });

  it('commits what waits for the group commit when it is closed', async () => {
    const dataDir = tmp();
    const store = new SqliteStore({ dataDir });
    const unit = await store.groupCommit((tx) => tx.putConversation(conversation('late', { channel: 'api' })));
    await store.close();
    await unit.committed;
    const again = new SqliteStore({ dataDir });
    expect(await again.getConversation('late')).toBeDefined();
    await again.close();
  });

  it('flushes the WAL in the background after commits, at most once per interval and one at a time (issue 14)', async () => {
    const dataDir = tmp();
    let t = 1000;
    const syncs: { fd: number; done: () => void }[] = [];
    const store = new SqliteStore({
      dataDir,
      walSync: { intervalMs: 20, now: () => t, fdatasync: (fd, done) => syncs.push({ fd, done: () => done(null) }) },
    });
    const commit = async (id: string) =>
      (await store.groupCommit((tx) => tx.putConversation(conversation(id, { channel: 'api' })))).committed;
    expect(syncs).toHaveLength(0);
    await commit('a');
    // The WAL's own file, synced off the event loop.
    expect(syncs).toHaveLength(1);
    const wal = syncs[0] as { fd: number; done: () => void };
    expect(fstatSync(wal.fd).ino).toBe(statSync(`${store.file}-wal`).ino);
    t += 50;
    await commit('b');
    expect(syncs).toHaveLength(1); // one under way
    wal.done();
    await commit('c');
    expect(syncs).toHaveLength(2);
    syncs[1]?.done();
    t += 5;
    await commit('d');
    expect(syncs).toHaveLength(2); // the last started 5 ms ago
    t += 20;
    await store.getConversation('a'); // a read commits nothing
    expect(syncs).toHaveLength(2);
    await store.putConversation(conversation('e', { channel: 'api' })); // a write outside a unit commits too
    expect(syncs).toHaveLength(3);
    // Closed while a sync is under way: its descriptor stays open until the sync is done.
    await store.close();
    const last = syncs[2] as { fd: number; done: () => void };
    expect(() => fstatSync(last.fd)).not.toThrow();
    last.done();
    expect(() => fstatSync(last.fd)).toThrowError(expect.objectContaining({ code: 'EBADF' }));
  });

  it('refuses a file whose schema is newer than the code, naming the file', async () => {
    const dataDir = tmp();
    await new SqliteStore({ dataDir }).close();
    const db = new Database(join(dataDir, 'hotline.db'));
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => new SqliteStore({ dataDir })).toThrowError(
      expect.objectContaining({ code: 'HL_ERR_DATA_INVALID', message: expect.stringContaining('hotline.db') }),
    );
  });

  it('loses no ticket it reported created when its process is killed mid-write', async () => {
    const dataDir = tmp();
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'store', 'fixtures', 'ticket-writer.ts'), dataDir], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const completeLines = () => out.split('\n').slice(0, -1);
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (completeLines().length >= 200 && child.exitCode === null && !child.killed) child.kill('SIGKILL');
      });
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
      });
      child.on('close', (_code, sig) => resolve(sig));
    });
    expect(signal, err).toBe('SIGKILL');
    const printed = completeLines();
    expect(printed.length).toBeGreaterThanOrEqual(200);
    expect(printed.slice(0, 3)).toEqual(['T000001', 'T000002', 'T000003']);

    const store = new SqliteStore({ dataDir });
    const stored = new Set((await store.listTickets()).map((t) => t.id));
    expect(stored.size).toBeGreaterThanOrEqual(printed.length);
    expect(printed.filter((id) => !stored.has(id))).toEqual([]);
    const next = (await store.createTicket(newTicket('after', 1))).id;
    expect(stored.has(next)).toBe(false);
    await store.close();
  }, 30_000);
});
