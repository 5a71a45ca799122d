/**
 * What `SyncStore` promises beyond the Store contract, on both engines it runs (memory, SQLite): reads outside any
 * unit, and what happens when a group's transaction fails to commit (a disk that fails is simulated by an engine
 * whose `commit` throws, and so leaves the transaction open, as SQLite does on SQLITE_BUSY or an I/O error).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore, SqliteStore, type Store } from '../../src/store/index.js';
import type { SyncEngine, SyncStore } from '../../src/store/sync-store.js';
import { conversation } from './records.js';

const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ENGINES: [name: string, make: () => SyncStore][] = [
  ['memory', () => new MemoryStore()],
  [
    'SQLite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'hl-sync-'));
      dirs.push(dir);
      return new SqliteStore({ dataDir: dir });
    },
  ],
];

/** A switch that makes the engine's commits fail. */
function failingCommits(store: SyncStore): (fail: boolean) => void {
  const engine = (store as unknown as { engine: SyncEngine }).engine;
  const commit = engine.commit;
  return (fail) => {
    engine.commit = fail
      ? () => {
          throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
        }
      : commit;
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

const put = (store: Store, id: string) => store.groupCommit((tx) => tx.putConversation(conversation(id)));

describe.each(ENGINES)('reads outside any unit on the %s engine', (_name, make) => {
  // What the store suite asserted of every store before units were given their own records: SyncStore promises it
  // (one connection), a store on a server need not.
  it('go straight to the engine: they see what a grouped unit wrote before it commits, and do not wait for a unit running', async () => {
    const store = make();
    const unit = await put(store, 'grouped');
    let committed = false;
    unit.committed.then(() => {
      committed = true;
    });
    expect(await store.getConversation('grouped')).toBeDefined();
    expect(committed).toBe(false);
    let go = () => {};
    const held = new Promise<void>((resolve) => {
      go = resolve;
    });
    let wrote = () => {};
    const written = new Promise<void>((resolve) => {
      wrote = resolve;
    });
    const running = store.atomic(async (tx) => {
      await tx.putConversation(conversation('running'));
      wrote();
      await held;
    });
    await written;
    const read = await Promise.race([store.getConversation('running'), tick().then(() => 'waited' as const)]);
    go();
    expect(read).not.toBe('waited');
    expect(read).toBeDefined();
    await running;
    expect(committed).toBe(true);
    await store.close();
  });
});

describe.each(ENGINES)('a group commit on the %s engine', (_name, make) => {
  it('rejects every waiting unit’s `committed` with HL_ERR_INTERNAL when the commit fails, keeps none, and goes on', async () => {
    const store = make();
    const fail = failingCommits(store);
    fail(true);
    const a = put(store, 'a');
    const thrown = store.groupCommit(async (tx) => {
      await tx.putConversation(conversation('thrown'));
      throw new Error('bad turn');
    });
    const b = put(store, 'b');
    await expect(thrown).rejects.toThrow('bad turn');
    const units = await Promise.all([a, b]);
    for (const u of units) await expect(u.committed).rejects.toMatchObject({ code: 'HL_ERR_INTERNAL' });
    for (const id of ['a', 'b', 'thrown']) expect(await store.getConversation(id)).toBeUndefined();
    fail(false);
    await (await put(store, 'c')).committed;
    expect(await store.getConversation('c')).toBeDefined();
    expect(await store.getConversation('a')).toBeUndefined();
    await store.close();
  });

  it('rejects an atomic block that commits the waiting group, and the units of the group, when that commit fails', async () => {
    const store = make();
    const fail = failingCommits(store);
    const waiting = await put(store, 'grouped');
    fail(true);
    await expect(store.atomic((tx) => tx.putConversation(conversation('block')))).rejects.toMatchObject({ code: 'HL_ERR_INTERNAL' });
    await expect(waiting.committed).rejects.toMatchObject({ code: 'HL_ERR_INTERNAL' });
    // A write outside any unit is a block of its own: it fails alike.
    await expect(store.putConversation(conversation('bare'))).rejects.toMatchObject({ code: 'HL_ERR_INTERNAL' });
    fail(false);
    for (const id of ['grouped', 'block', 'bare']) expect(await store.getConversation(id)).toBeUndefined();
    await store.putConversation(conversation('after'));
    expect(await store.getConversation('after')).toBeDefined();
    await store.close();
  });

  it('rejects the waiting units when the commit made on closing fails, and closes all the same', async () => {
    const store = make();
    const fail = failingCommits(store);
    const waiting = await put(store, 'late');
    fail(true);
    await expect(store.close()).rejects.toMatchObject({ code: 'HL_ERR_INTERNAL' });
    await expect(waiting.committed).rejects.toMatchObject({ code: 'HL_ERR_INTERNAL' });
    await expect(store.getConversation('late')).rejects.toThrow();
  });
});
