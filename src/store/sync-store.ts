import { HlError } from '../errors.js';
import { type Committing, READ_METHODS, type Store, type StoreData, WRITE_METHODS } from './types.js';

/** `StoreData` answered at once: an engine that runs in the process (memory, SQLite through better-sqlite3). */
export type SyncData = { [K in keyof StoreData]: (...args: Parameters<StoreData[K]>) => Awaited<ReturnType<StoreData[K]>> };

/** What `SyncStore` runs units on: the records, and a transaction with savepoints inside it. */
export interface SyncEngine extends SyncData {
  inTransaction(): boolean;
  begin(): void;
  commit(): void;
  rollback(): void;
  /** A savepoint inside the open transaction; `release` keeps what was written since, `rollbackToSavepoint` undoes it. */
  savepoint(): void;
  release(): void;
  rollbackToSavepoint(): void;
  /** Told after every commit (SQLite flushes its write-ahead log in the background). */
  committed(): void;
  close(): void;
}

interface Group {
  waiting: { resolve: () => void; reject: (err: unknown) => void }[];
  timer: NodeJS.Immediate;
}

/** HL_ERR_INTERNAL: the unit's transaction is gone (SQLite rolled it back on an error such as SQLITE_FULL). */
function transactionLost(): HlError {
  return new HlError('HL_ERR_INTERNAL', [], { cause: new Error('the transaction was rolled back') });
}

/**
 * The engine's records behind promises: what a unit is given. A throw becomes a rejection. A write with no
 * transaction open is refused: the unit's transaction was rolled back under it (a unit that caught the error and
 * went on would otherwise have its later writes committed one by one, outside any transaction).
 */
function asyncView(engine: SyncEngine): StoreData {
  const view: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  const writes: ReadonlySet<string> = new Set(WRITE_METHODS);
  for (const name of [...READ_METHODS, ...WRITE_METHODS]) {
    const method = engine[name] as (...args: unknown[]) => unknown;
    const write = writes.has(name);
    view[name] = (...args) => {
      try {
        if (write && !engine.inTransaction()) throw transactionLost();
        return Promise.resolve(method.apply(engine, args));
      } catch (err) {
        return Promise.reject(err);
      }
    };
  }
  return view as unknown as StoreData;
}

/**
 * A store on an engine that answers at once (memory, SQLite): units run one at a time, in the order asked, each a
 * transaction of its own (`atomic`) or a savepoint of the transaction the units of one tick share (`groupCommit`,
 * committed by `setImmediate` once the units queued before it have run, or by the next `atomic`). A read outside any
 * unit goes straight to the engine (it sees what a unit running now has written); a write outside any unit is a unit
 * of its own.
 */
export class SyncStore implements Store {
  private readonly view: StoreData;
  /** The last unit asked for: the next one starts when it has ended. */
  private tail: Promise<unknown> = Promise.resolve();
  /** The open group commit's transaction and the units waiting for it. */
  private group: Group | null = null;

  constructor(
    readonly kind: Store['kind'],
    protected readonly engine: SyncEngine,
  ) {
    this.view = asyncView(engine);
  }

  atomic<T>(fn: (tx: StoreData) => Promise<T>): Promise<T> {
    return this.queued(async () => {
      this.checkGroup();
      const value = await this.unit(fn);
      this.commitGroup();
      return value;
    });
  }

  groupCommit<T>(fn: (tx: StoreData) => Promise<T>): Promise<Committing<T>> {
    return this.queued(async () => {
      this.checkGroup();
      if (!this.group) {
        this.engine.begin();
        this.group = { waiting: [], timer: setImmediate(() => this.queued(async () => this.commitGroupQuietly())) };
      }
      const group = this.group;
      const value = await this.unit(fn);
      const committed = new Promise<void>((resolve, reject) => group.waiting.push({ resolve, reject }));
      // A caller that never waits must not crash the process with an unhandled rejection; one that waits still gets it.
      committed.catch(() => {});
      return { value, committed };
    });
  }

  async close(): Promise<void> {
    await this.queued(async () => {
      try {
        this.commitGroup();
      } finally {
        this.engine.close();
      }
    });
  }

  /** Runs `job` once every unit asked for before it has ended. */
  private queued<T>(job: () => Promise<T>): Promise<T> {
    const run = this.tail.then(job);
    this.tail = run.catch(() => {});
    return run;
  }

  /**
   * Runs `fn` as a savepoint of the open group's transaction, or as its own transaction: a throw undoes its writes
   * alone. A commit that fails rolls back and throws HL_ERR_INTERNAL.
   */
  private async unit<T>(fn: (tx: StoreData) => Promise<T>): Promise<T> {
    const engine = this.engine;
    const inside = engine.inTransaction();
    if (inside) engine.savepoint();
    else engine.begin();
    let value: T;
    try {
      value = await fn(this.view);
    } catch (err) {
      if (engine.inTransaction()) {
        if (inside) {
          engine.rollbackToSavepoint();
          engine.release();
        } else engine.rollback();
      }
      throw err;
    }
    // SQLite rolled the transaction back on an error the unit caught: nothing of it is kept, say so.
    if (!engine.inTransaction()) throw transactionLost();
    if (inside) {
      engine.release();
      return value;
    }
    try {
      engine.commit();
    } catch (cause) {
      if (engine.inTransaction()) engine.rollback();
      throw new HlError('HL_ERR_INTERNAL', [], { cause });
    }
    engine.committed();
    return value;
  }

  /** Commits the open group; when that fails, rolls it back, fails every unit waiting and throws HL_ERR_INTERNAL. */
  private commitGroup(): void {
    const group = this.group;
    if (!group) return;
    this.group = null;
    clearImmediate(group.timer);
    try {
      this.engine.commit();
    } catch (cause) {
      if (this.engine.inTransaction()) this.engine.rollback();
      throw this.reject(group, cause);
    }
    this.engine.committed();
    for (const w of group.waiting) w.resolve();
  }

  private commitGroupQuietly(): void {
    try {
      this.commitGroup();
    } catch {
      // Each waiting unit has the error.
    }
  }

  /** SQLite rolls a whole transaction back on some errors (SQLITE_FULL, IOERR …): the units waiting are lost, say so. */
  private checkGroup(): void {
    const group = this.group;
    if (!group || this.engine.inTransaction()) return;
    this.group = null;
    clearImmediate(group.timer);
    this.reject(group, new Error('the group transaction was rolled back'));
  }

  private reject(group: Group, cause: unknown): HlError {
    const err = new HlError('HL_ERR_INTERNAL', [], { cause });
    for (const w of group.waiting) w.reject(err);
    return err;
  }

  putConversation(...args: Parameters<StoreData['putConversation']>) {
    return this.atomic((tx) => tx.putConversation(...args));
  }
  getConversation(...args: Parameters<StoreData['getConversation']>) {
    return this.view.getConversation(...args);
  }
  loadConversation(...args: Parameters<StoreData['loadConversation']>) {
    return this.view.loadConversation(...args);
  }
  listConversations(...args: Parameters<StoreData['listConversations']>) {
    return this.view.listConversations(...args);
  }
  appendTranscript(...args: Parameters<StoreData['appendTranscript']>) {
    return this.atomic((tx) => tx.appendTranscript(...args));
  }
  transcript(...args: Parameters<StoreData['transcript']>) {
    return this.view.transcript(...args);
  }
  createHandoff(...args: Parameters<StoreData['createHandoff']>) {
    return this.atomic((tx) => tx.createHandoff(...args));
  }
  updateHandoff(...args: Parameters<StoreData['updateHandoff']>) {
    return this.atomic((tx) => tx.updateHandoff(...args));
  }
  getHandoff(...args: Parameters<StoreData['getHandoff']>) {
    return this.view.getHandoff(...args);
  }
  openHandoff(...args: Parameters<StoreData['openHandoff']>) {
    return this.view.openHandoff(...args);
  }
  latestHandoff(...args: Parameters<StoreData['latestHandoff']>) {
    return this.view.latestHandoff(...args);
  }
  createTicket(...args: Parameters<StoreData['createTicket']>) {
    return this.atomic((tx) => tx.createTicket(...args));
  }
  getTicket(...args: Parameters<StoreData['getTicket']>) {
    return this.view.getTicket(...args);
  }
  listTickets(...args: Parameters<StoreData['listTickets']>) {
    return this.view.listTickets(...args);
  }
  claimTicket(...args: Parameters<StoreData['claimTicket']>) {
    return this.atomic((tx) => tx.claimTicket(...args));
  }
  releaseTicket(...args: Parameters<StoreData['releaseTicket']>) {
    return this.atomic((tx) => tx.releaseTicket(...args));
  }
  closeTicket(...args: Parameters<StoreData['closeTicket']>) {
    return this.atomic((tx) => tx.closeTicket(...args));
  }
  getSession(...args: Parameters<StoreData['getSession']>) {
    return this.view.getSession(...args);
  }
  putSession(...args: Parameters<StoreData['putSession']>) {
    return this.atomic((tx) => tx.putSession(...args));
  }
  pruneSessions(...args: Parameters<StoreData['pruneSessions']>) {
    return this.atomic((tx) => tx.pruneSessions(...args));
  }
  addFeedback(...args: Parameters<StoreData['addFeedback']>) {
    return this.atomic((tx) => tx.addFeedback(...args));
  }
  listFeedback(...args: Parameters<StoreData['listFeedback']>) {
    return this.view.listFeedback(...args);
  }
  addMiss(...args: Parameters<StoreData['addMiss']>) {
    return this.atomic((tx) => tx.addMiss(...args));
  }
  listMisses(...args: Parameters<StoreData['listMisses']>) {
    return this.view.listMisses(...args);
  }
  dailyReplies(...args: Parameters<StoreData['dailyReplies']>) {
    return this.view.dailyReplies(...args);
  }
  dailyFeedback(...args: Parameters<StoreData['dailyFeedback']>) {
    return this.view.dailyFeedback(...args);
  }
  appendEvent(...args: Parameters<StoreData['appendEvent']>) {
    return this.atomic((tx) => tx.appendEvent(...args));
  }
  events(...args: Parameters<StoreData['events']>) {
    return this.view.events(...args);
  }
  lockDesk(...args: Parameters<StoreData['lockDesk']>) {
    return this.view.lockDesk(...args);
  }
  saveDesk(...args: Parameters<StoreData['saveDesk']>) {
    return this.atomic((tx) => tx.saveDesk(...args));
  }
}
