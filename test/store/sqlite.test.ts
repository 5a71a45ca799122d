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
import { ROOT } from '../helpers/knowledge.js';

const dirs: string[] = [];

function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hl-sqlite-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const CONVERSATION = {
  sessionId: 's',
  channel: 'api',
  region: null,
  state: 'bot',
  agentId: null,
  queuedAt: null,
  createdAt: 1,
  updatedAt: 1,
  lastUserText: null,
} as const;

const newTicket = (sessionId: string, createdAt: number) => ({
  sessionId,
  phone: '13812345678',
  question: '怎么备案',
  region: null,
  createdAt,
});

describe('SqliteStore', () => {
  it('keeps everything when reopened on the same file, and ticket ids continue', () => {
    const dataDir = tmp();
    const first = new SqliteStore({ dataDir });
    first.putConversation({
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
    first.appendTranscript({ sessionId: 's1', role: 'bot', text: '答复', reply: { citations: [{ clause: '五' }] }, at: 2 });
    const handoff = first.createHandoff({ sessionId: 's1', reason: 'user-request', region: '包头', requestedAt: 5 });
    first.updateHandoff(handoff.id, { status: 'cancelled', endedAt: 8, resolution: 'ticket T000002' });
    first.createTicket(newTicket('s0', 3));
    first.createTicket(newTicket('s1', 8));
    first.appendEvent({ sessionId: 's1', event: 'ticket.created', from: 'queued', to: 'ticket', at: 8, data: { ticketId: 'T000002' } });
    first.close();

    const again = new SqliteStore({ dataDir });
    expect(again.getConversation('s1')).toMatchObject({ channel: 'wechat', state: 'ticket', queuedAt: 5, lastUserText: '我要人工' });
    expect(again.transcript('s1')[0]?.reply).toEqual({ citations: [{ clause: '五' }] });
    expect(again.getHandoff(handoff.id)).toMatchObject({ status: 'cancelled', resolution: 'ticket T000002' });
    expect(again.listTickets().map((t) => t.id)).toEqual(['T000002', 'T000001']);
    expect(again.events('s1')).toHaveLength(1);
    expect(again.createTicket(newTicket('s2', 10)).id).toBe('T000003');
    expect(again.createHandoff({ sessionId: 's2', reason: 'x', region: null, requestedAt: 10 }).id).toBeGreaterThan(handoff.id);
    again.close();
  });

  it('runs in WAL mode with synchronous=NORMAL and a busy timeout, at the latest schema version', () => {
    const store = new SqliteStore({ dataDir: join(tmp(), 'made', 'for', 'it') });
    expect(store.settings()).toEqual({ journalMode: 'wal', synchronous: 1, busyTimeoutMs: 5000, schemaVersion: MIGRATIONS.length });
    store.createTicket(newTicket('s1', 1));
    const other = new Database(store.file, { readonly: true });
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(other.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    other.close();
    store.close();
  });

  it('commits the units of one tick in one transaction: another connection sees none of them, then all (issue 14)', async () => {
    const store = new SqliteStore({ dataDir: tmp() });
    const other = new Database(store.file, { readonly: true });
    const count = () => (other.prepare('SELECT COUNT(*) AS n FROM transcript').get() as { n: number }).n;
    const units = ['甲', '乙', '丙'].map((text, i) =>
      store.groupCommit(() => store.appendTranscript({ sessionId: `s${i}`, role: 'user', text, at: i })),
    );
    expect(count()).toBe(0);
    await Promise.all(units.map((u) => u.committed));
    expect(count()).toBe(3);
    other.close();
    store.close();
  });

  it('fails every unit waiting for a commit that fails with HL_ERR_INTERNAL, keeps none of them, and goes on', async () => {
    const store = new SqliteStore({ dataDir: tmp() });
    const sql = (store as unknown as { sql: { commit: { run: () => unknown } } }).sql;
    const commit = sql.commit;
    // A disk that fails when the group commits.
    sql.commit = {
      run: () => {
        throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
      },
    };
    const units = ['a', 'b'].map((id) => store.groupCommit(() => store.putConversation({ ...CONVERSATION, sessionId: id })));
    for (const u of units) await expect(u.committed).rejects.toMatchObject({ code: 'HL_ERR_INTERNAL' });
    expect(store.getConversation('a')).toBeUndefined();
    expect(store.getConversation('b')).toBeUndefined();
    sql.commit = commit;
    const next = store.groupCommit(() => store.putConversation({ ...CONVERSATION, sessionId: 'c' }));
    await next.committed;
    expect(store.getConversation('c')).toBeDefined();
    store.close();
  });

  it('commits what waits for the group commit when it is closed', () => {
    const dataDir = tmp();
    const store = new SqliteStore({ dataDir });
    store.groupCommit(() => store.putConversation({ ...CONVERSATION, sessionId: 'late' }));
    store.close();
    const again = new SqliteStore({ dataDir });
    expect(again.getConversation('late')).toBeDefined();
    again.close();
  });

  it('flushes the WAL in the background after commits, at most once per interval and one at a time (issue 14)', async () => {
    const dataDir = tmp();
    let t = 1000;
    const syncs: { fd: number; done: () => void }[] = [];
    const store = new SqliteStore({
      dataDir,
      walSync: { intervalMs: 20, now: () => t, fdatasync: (fd, done) => syncs.push({ fd, done: () => done(null) }) },
    });
    const commit = (id: string) => store.groupCommit(() => store.putConversation({ ...CONVERSATION, sessionId: id })).committed;
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
    store.getConversation('a'); // a read commits nothing
    expect(syncs).toHaveLength(2);
    store.putConversation({ ...CONVERSATION, sessionId: 'e' }); // a write outside a unit commits too
    expect(syncs).toHaveLength(3);
    // Closed while a sync is under way: its descriptor stays open until the sync is done.
    store.close();
    const last = syncs[2] as { fd: number; done: () => void };
    expect(() => fstatSync(last.fd)).not.toThrow();
    last.done();
    expect(() => fstatSync(last.fd)).toThrowError(expect.objectContaining({ code: 'EBADF' }));
  });

  it('refuses a file whose schema is newer than the code, naming the file', () => {
    const dataDir = tmp();
    new SqliteStore({ dataDir }).close();
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
    const stored = new Set(store.listTickets().map((t) => t.id));
    expect(stored.size).toBeGreaterThanOrEqual(printed.length);
    expect(printed.filter((id) => !stored.has(id))).toEqual([]);
    const next = store.createTicket(newTicket('after', 1)).id;
    expect(stored.has(next)).toBe(false);
    store.close();
  }, 30_000);
});
