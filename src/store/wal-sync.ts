import { closeSync, fdatasync, openSync } from 'node:fs';

export interface WalSyncOptions {
  /** The database file; its WAL is `<file>-wal`. */
  file: string;
  /** At most one sync started per this many ms; 20. */
  intervalMs?: number;
  /** The clock (ms). */
  now?: () => number;
  /** Flushes a file's data to the disk, off the event loop (`fs.fdatasync`). */
  fdatasync?: (fd: number, done: (err: NodeJS.ErrnoException | null) => void) => void;
}

/**
 * Flushes the WAL to the disk in the background, on Node's thread pool, while commits append to it (issue 14).
 * With `synchronous=NORMAL` SQLite syncs the WAL only when it checkpoints, on the event loop, in the commit that
 * crosses 1,000 pages: every ~100 ms under a WebSocket load, stopping the process 4–17 ms each time, most of it
 * writing out the WAL the commits since the last checkpoint dirtied. Synced here as it grows, what is left for the
 * checkpoint's own sync is small. It only makes committed data reach the disk sooner: what a commit guarantees
 * when it returns, and when SQLite syncs, are unchanged.
 */
export class WalSync {
  private readonly wal: string;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly sync: NonNullable<WalSyncOptions['fdatasync']>;
  private fd: number | null = null;
  private inFlight = false;
  private last = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(options: WalSyncOptions) {
    this.wal = `${options.file}-wal`;
    this.intervalMs = options.intervalMs ?? 20;
    this.now = options.now ?? Date.now;
    this.sync = options.fdatasync ?? fdatasync;
  }

  /** Something was committed: starts a sync, unless one is under way or one started less than `intervalMs` ago. */
  committed(): void {
    if (this.closed || this.inFlight) return;
    const at = this.now();
    if (at - this.last < this.intervalMs) return;
    if (this.fd === null) {
      try {
        this.fd = openSync(this.wal, 'r');
      } catch {
        return; // No WAL yet: nothing to sync.
      }
    }
    this.inFlight = true;
    this.last = at;
    this.sync(this.fd, () => {
      this.inFlight = false;
      if (this.closed) this.release();
    });
  }

  /** Stops; the WAL's descriptor is closed once no sync uses it. */
  close(): void {
    this.closed = true;
    if (!this.inFlight) this.release();
  }

  private release(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}
