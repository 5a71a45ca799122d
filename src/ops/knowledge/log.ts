import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { digestOf, readIfExists, writeAtomic } from './files.js';

/** How a change to the live notices ended. `interrupted`: the process stopped midway and the files were put back. */
export type Outcome = 'done' | 'failed' | 'interrupted';

export interface PublishRecord {
  /** `P000001`: sortable by its number, shared with rollbacks. */
  id: string;
  kind: 'publish';
  operator: string;
  /** Epoch ms. */
  at: number;
  outcome: Outcome;
  /** Why it failed, when it did. */
  error?: string;
  /** Which preview was confirmed (a digest of the staged names and bytes). */
  fingerprint: string;
  files: { added: string[]; replaced: string[] };
  notices: {
    id: string;
    status: 'new' | 'changed' | 'unchanged';
    clauses: { new: number; changed: number; gone: number };
    facts: { new: number; gone: number };
  }[];
  /** Items passed, 0–1, over every labelled set, on the live and on the staged knowledge base; the floor then. */
  eval: { live: number; staged: number; floor: number };
  confirmedBelowFloor: boolean;
  note?: string;
  /** Set when read back: the rollback that undid it. */
  rolledBackBy?: string;
}

export interface RollbackRecord {
  id: string;
  kind: 'rollback';
  /** The publish it undoes. */
  of: string;
  operator: string;
  at: number;
  outcome: Outcome;
  error?: string;
  /** Files put back as they were before the publish, and files the publish had added, removed. */
  files: { restored: string[]; removed: string[] };
  /** Files that had changed since the publish wrote them (by hand, or by something else): overwritten all the same. */
  drift: string[];
}

export type DeskRecord = PublishRecord | RollbackRecord;

/** What a change was about to do, and what it replaced: written before any live file is touched. */
interface Intent {
  record: DeskRecord;
  /** Names that existed (their bytes are in `before/`) and names that did not (a restore removes them). */
  existed: string[];
  absent: string[];
  /** Digest of each file as the change wrote it. */
  written: Record<string, string>;
}

/** A change to the live notices: files to write whole and files to remove. */
export interface Change {
  writes: { name: string; bytes: Uint8Array }[];
  removes: string[];
}

const ID = /^[PR]\d{6,}$/;

/**
 * The publish log, `<opsDir>/publishes/<id>/`: `before/` (the live files a change replaces), `intent.json`
 * (what it was about to do; written once `before/` is complete) and `record.json` (how it ended). A folder with
 * an intent and no record is a change the process did not finish: `interrupted()` lists them.
 */
export class PublishLog {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** A new id of the kind: one more than the highest of any folder here, its folder made (exclusively). */
  async allocate(kind: DeskRecord['kind']): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    let seq = (await this.ids()).reduce((m, id) => Math.max(m, Number(id.slice(1))), 0);
    for (;;) {
      const id = `${kind === 'publish' ? 'P' : 'R'}${String(++seq).padStart(6, '0')}`;
      try {
        await mkdir(join(this.dir, id));
        return id;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  }

  /**
   * Keep the bytes `change` will replace in the live folder, then its intent: from here on the change can be
   * undone, even after a crash.
   */
  async begin(record: DeskRecord, change: Change, noticesDir: string): Promise<void> {
    const before = join(this.dir, record.id, 'before');
    await mkdir(before, { recursive: true });
    const existed: string[] = [];
    const absent: string[] = [];
    for (const name of [...new Set([...change.writes.map((w) => w.name), ...change.removes])].sort()) {
      const bytes = await readIfExists(join(noticesDir, name));
      if (bytes === null) absent.push(name);
      else {
        await writeAtomic(join(before, name), bytes);
        existed.push(name);
      }
    }
    const written = Object.fromEntries(change.writes.map((w) => [w.name, digestOf(w.bytes)]));
    const intent: Intent = { record, existed, absent, written };
    await writeAtomic(join(this.dir, record.id, 'intent.json'), `${JSON.stringify(intent, null, 2)}\n`);
  }

  /** Put the live folder back as it was before the change `id` (files it replaced restored, files it added removed). */
  async restore(id: string, noticesDir: string): Promise<void> {
    const intent = await this.intent(id);
    await applyChange(await this.undoOf(id, intent), noticesDir);
  }

  /** The change that undoes `id`. */
  async undo(id: string): Promise<{ change: Change; written: Record<string, string> }> {
    const intent = await this.intent(id);
    return { change: await this.undoOf(id, intent), written: intent.written };
  }

  /** Write how the change ended; the intent's record with its outcome. */
  async finish(record: DeskRecord): Promise<void> {
    await writeAtomic(join(this.dir, record.id, 'record.json'), `${JSON.stringify(record, null, 2)}\n`);
  }

  /** Every finished record, newest first, each publish with the rollback that undid it. */
  async records(): Promise<DeskRecord[]> {
    const out: DeskRecord[] = [];
    for (const id of await this.ids()) {
      const text = await readIfExists(join(this.dir, id, 'record.json'));
      if (text) out.push(JSON.parse(text.toString('utf8')) as DeskRecord);
    }
    out.sort((a, b) => Number(b.id.slice(1)) - Number(a.id.slice(1)));
    const undone = new Map(out.filter((r): r is RollbackRecord => r.kind === 'rollback' && r.outcome === 'done').map((r) => [r.of, r.id]));
    return out.map((r) => (r.kind === 'publish' && undone.has(r.id) ? { ...r, rolledBackBy: undone.get(r.id) as string } : r));
  }

  /**
   * Changes the process did not finish: with an intent, the record it was about to write (the caller restores
   * and finishes them); without one, nothing live was touched yet, so the folder is removed here.
   */
  async interrupted(): Promise<DeskRecord[]> {
    const out: DeskRecord[] = [];
    for (const id of await this.ids()) {
      if (await readIfExists(join(this.dir, id, 'record.json'))) continue;
      const intent = await readIfExists(join(this.dir, id, 'intent.json'));
      if (intent) out.push((JSON.parse(intent.toString('utf8')) as Intent).record);
      else await rm(join(this.dir, id), { recursive: true, force: true });
    }
    return out;
  }

  private async intent(id: string): Promise<Intent> {
    return JSON.parse(await readFile(join(this.dir, id, 'intent.json'), 'utf8')) as Intent;
  }

  private async undoOf(id: string, intent: Intent): Promise<Change> {
    const before = join(this.dir, id, 'before');
    const writes = await Promise.all(intent.existed.map(async (name) => ({ name, bytes: await readFile(join(before, name)) })));
    return { writes, removes: intent.absent };
  }

  private async ids(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((n) => ID.test(n));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}

/** Write each file whole (temp file + rename in the live folder) and remove the others. */
export async function applyChange(change: Change, noticesDir: string): Promise<void> {
  for (const w of change.writes) await writeAtomic(join(noticesDir, w.name), w.bytes);
  for (const name of change.removes) await rm(join(noticesDir, name), { force: true });
}
