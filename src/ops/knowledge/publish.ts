import { join } from 'node:path';
import { HlError, isHlError } from '../../errors.js';
import type { EvalItem } from '../../eval/judge.js';
import type { Ask } from '../../eval/score.js';
import type { KnowledgeBase } from '../../kb/knowledge-base.js';
import type { ReloadResult } from '../../kb/store.js';
import { digestOf, fingerprintOf, readIfExists } from './files.js';
import { applyChange, type Change, type DeskRecord, PublishLog, type PublishRecord, type RollbackRecord } from './log.js';
import { buildPreview, type NoticePreview } from './preview.js';
import { type StagedBytes, type StagedFile, Staging } from './staging.js';

export interface NoticeDeskOptions {
  /** The live knowledge folder (`regions.yaml`, `notices/`). */
  knowledgeDir: string;
  /** The desk's own folder: `staging/` and `publishes/` go in it. */
  opsDir: string;
  /** Build a knowledge base from a knowledge folder (`buildFromDir`). */
  build: (dir: string) => Promise<KnowledgeBase>;
  /** Reload the serving knowledge base from the live folder (the app's `reloadKnowledge`). */
  reload: () => Promise<ReloadResult>;
  evaluate: {
    /** The labelled sets a publish is judged by: the project's own and any exported by operators. */
    sets: () => Promise<{ name: string; items: EvalItem[] }[]>;
    /** Ask a knowledge base, as `npm run eval` does (best with an assistant of its own sessions). */
    ask: (kb: KnowledgeBase) => Ask;
  };
  /** 0–1: the share of labelled items the staged knowledge base must pass to publish without confirming. */
  floor: number;
  now?: () => number;
}

export interface PublishInput {
  operator: string;
  /** Publish even when the staged knowledge base passes fewer items than the floor. */
  confirm?: boolean;
  /** The preview being confirmed: refused when the staged files have changed since. */
  fingerprint?: string;
  note?: string;
}

const pct = (r: number) => `${(100 * r).toFixed(1)}%`;

/**
 * Safe notice updates (issue 16): staged notices and sidecars are previewed (build report, diff against the live
 * knowledge base, the labelled sets on both), published into the live folder with a reload, and rolled back.
 *
 * A publish or a rollback first copies the live files it will replace into `<opsDir>/publishes/<id>/before/` and
 * writes its intent; only then is a live file touched, each written whole (temp file + rename). If the reload then
 * fails, the files are put back and the knowledge base reloaded again. If the process dies midway, the live folder
 * may hold part of the change: `recover()` (run before the first publish or rollback, and best at start before the
 * first load) puts back every change that has an intent but no record and records it as `interrupted`; the staged
 * files are still staged, since staging is cleared only after the record is written (a crash between the two leaves
 * them staged, and a preview then shows them unchanged). A crash before the intent is written has touched no live
 * file; its folder is dropped. Publishes and rollbacks run one at a time in this process (one folder shared by
 * several processes is not guarded).
 */
export class NoticeDesk {
  readonly staging: Staging;
  private readonly log: PublishLog;
  private readonly o: NoticeDeskOptions;
  private readonly now: () => number;
  private readonly noticesDir: string;
  /** The last preview (a running one too, so two asks share it), by fingerprint and live knowledge base. */
  private last: { fingerprint: string; live: KnowledgeBase; run: Promise<{ preview: NoticePreview; kb: KnowledgeBase }> } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private recovered: Promise<string[]> | null = null;
  private previews = 0;

  constructor(options: NoticeDeskOptions) {
    if (!(options.floor >= 0 && options.floor <= 1)) throw new RangeError(`floor ${options.floor} is not within 0–1`);
    this.o = options;
    this.now = options.now ?? Date.now;
    this.noticesDir = join(options.knowledgeDir, 'notices');
    this.staging = new Staging(join(options.opsDir, 'staging'));
    this.log = new PublishLog(join(options.opsDir, 'publishes'));
  }

  /** What publishing the staged files would do; the last one is kept while the staged files and `live` are the same. */
  async preview(live: KnowledgeBase): Promise<NoticePreview> {
    const files = await this.staging.read();
    if (files.length === 0) throw new HlError('HL_ERR_NOTHING_STAGED');
    return (await this.previewOf(files, live)).preview;
  }

  /**
   * Publish the staged files into the live folder and reload. Refused when nothing is staged, a staged file has a
   * problem, the files changed since the preview named by `fingerprint`, or the staged knowledge base passes fewer
   * labelled items than the floor and `confirm` is not set. The record of it is returned.
   */
  publish(input: PublishInput, live: KnowledgeBase): Promise<PublishRecord> {
    return this.serial(async () => {
      const files = await this.staging.read();
      if (files.length === 0) throw new HlError('HL_ERR_NOTHING_STAGED');
      const fingerprint = fingerprintOf(files);
      if (input.fingerprint !== undefined && input.fingerprint !== fingerprint) {
        throw new HlError('HL_ERR_STAGED_CHANGED', [input.fingerprint, fingerprint]);
      }
      const { preview, kb: staged } = await this.previewOf(files, live);
      const bad = preview.staged.find((f) => f.problem);
      if (bad) throw new HlError('HL_ERR_STAGED_INVALID', [bad.name, bad.problem as string]);
      if (preview.belowFloor && !input.confirm) {
        throw new HlError('HL_ERR_EVAL_BELOW_FLOOR', [pct(preview.overall.staged), pct(preview.overall.live), pct(preview.floor)]);
      }
      const existing = await Promise.all(files.map(async (f) => (await readIfExists(join(this.noticesDir, f.name))) !== null));
      const record: PublishRecord = {
        id: await this.log.allocate('publish'),
        kind: 'publish',
        operator: input.operator,
        at: this.now(),
        outcome: 'done',
        fingerprint,
        files: {
          added: files.filter((_, i) => !existing[i]).map((f) => f.name),
          replaced: files.filter((_, i) => existing[i]).map((f) => f.name),
        },
        notices: preview.diff.notices.map((n) => ({
          id: n.notice,
          status: n.status,
          clauses: {
            new: n.clauses.filter((c) => c.status === 'new').length,
            changed: n.clauses.filter((c) => c.status === 'changed').length,
            gone: n.clauses.filter((c) => c.status === 'gone').length,
          },
          facts: { new: n.facts.new.length, gone: n.facts.gone.length },
        })),
        eval: { ...preview.overall, floor: preview.floor },
        confirmedBelowFloor: preview.belowFloor,
        ...(input.note ? { note: input.note } : {}),
      };
      const change: Change = { writes: files, removes: [] };
      const holds = (kb: KnowledgeBase) => preview.diff.notices.every((n) => sameNotice(kb, staged, n.notice));
      await this.apply(record, change, holds, (why, cause) => new HlError('HL_ERR_PUBLISH_FAILED', [why], { cause }));
      await this.unstage(files);
      this.last = null;
      return record;
    });
  }

  /**
   * Undo the latest publish not yet rolled back: the files it replaced are put back byte for byte, the files it
   * added removed, and the knowledge base reloaded. HL_ERR_NOTHING_TO_ROLL_BACK when there is none.
   */
  rollback(input: { operator: string }): Promise<RollbackRecord> {
    return this.serial(async () => {
      const target = (await this.log.records()).find(
        (r): r is PublishRecord => r.kind === 'publish' && r.outcome === 'done' && !r.rolledBackBy,
      );
      if (!target) throw new HlError('HL_ERR_NOTHING_TO_ROLL_BACK');
      const { change, written } = await this.log.undo(target.id);
      const drift: string[] = [];
      for (const [name, digest] of Object.entries(written)) {
        const now = await readIfExists(join(this.noticesDir, name));
        if (!now || digestOf(now) !== digest) drift.push(name);
      }
      const record: RollbackRecord = {
        id: await this.log.allocate('rollback'),
        kind: 'rollback',
        of: target.id,
        operator: input.operator,
        at: this.now(),
        outcome: 'done',
        files: { restored: change.writes.map((w) => w.name), removed: change.removes },
        drift,
      };
      const removed = change.removes.filter((n) => n.endsWith('.txt')).map((n) => n.slice(0, -'.txt'.length));
      const holds = (kb: KnowledgeBase) => removed.every((id) => !kb.notice(id));
      await this.apply(record, change, holds, (why, cause) => new HlError('HL_ERR_ROLLBACK_FAILED', [target.id, why], { cause }));
      this.last = null;
      return record;
    });
  }

  /** Every publish and rollback, newest first (a publish undone names its rollback in `rolledBackBy`). */
  history(): Promise<DeskRecord[]> {
    return this.log.records();
  }

  /** Put back the changes a stopped process left half done; their ids. Runs once per desk (again after a failure). */
  recover(): Promise<string[]> {
    return this.serial(() => this.recoverOnce());
  }

  private recoverOnce(): Promise<string[]> {
    this.recovered ??= this.recoverNow().catch((err) => {
      this.recovered = null;
      throw err;
    });
    return this.recovered;
  }

  private async recoverNow(): Promise<string[]> {
    const open = await this.log.interrupted();
    for (const record of open) {
      await this.log.restore(record.id, this.noticesDir);
      await this.log.finish({ ...record, outcome: 'interrupted' });
    }
    if (open.length > 0) await this.o.reload();
    return open.map((r) => r.id);
  }

  /**
   * Snapshot, write, reload; on any failure put the files back, reload again and throw `fail(why)`. A reload asked
   * while another was already running shares that one (KnowledgeStore), which may have read the folder before the
   * writes: when the knowledge base it gives does not `hold` the change, it is asked once more.
   */
  private async apply(
    record: DeskRecord,
    change: Change,
    holds: (kb: KnowledgeBase) => boolean,
    fail: (why: string, cause: unknown) => HlError,
  ): Promise<void> {
    await this.log.begin(record, change, this.noticesDir);
    let why: string | null = null;
    let cause: unknown;
    try {
      await applyChange(change, this.noticesDir);
      let result = await this.o.reload();
      if (result.ok && !holds(result.kb)) result = await this.o.reload();
      if (!result.ok) [why, cause] = [result.error.message, result.error];
      else if (!holds(result.kb)) why = 'the reloaded knowledge base does not hold the change (was the folder changed meanwhile?)';
    } catch (err) {
      [why, cause] = [err instanceof Error ? err.message : String(err), err];
    }
    if (why === null) {
      await this.log.finish(record);
      return;
    }
    await this.log.restore(record.id, this.noticesDir);
    await this.o.reload();
    await this.log.finish({ ...record, outcome: 'failed', error: why });
    throw fail(why, cause);
  }

  private previewOf(files: StagedBytes[], live: KnowledgeBase): Promise<{ preview: NoticePreview; kb: KnowledgeBase }> {
    const fingerprint = fingerprintOf(files);
    if (this.last?.fingerprint === fingerprint && this.last.live === live) return this.last.run;
    const run = this.runPreview(files, fingerprint, live);
    const last = { fingerprint, live, run };
    this.last = last;
    run.catch(() => {
      if (this.last === last) this.last = null;
    });
    return run;
  }

  private async runPreview(
    files: StagedBytes[],
    fingerprint: string,
    live: KnowledgeBase,
  ): Promise<{ preview: NoticePreview; kb: KnowledgeBase }> {
    const sets = await this.o.evaluate.sets();
    const staged = await this.describe(files);
    const fine = new Set(staged.filter((f) => !f.problem).map((f) => f.name));
    return buildPreview({
      knowledgeDir: this.o.knowledgeDir,
      live,
      // A file with a problem is shown with it, and left out of the staged build.
      files: files.filter((f) => fine.has(f.name)),
      staged,
      fingerprint,
      build: this.o.build,
      sets,
      ask: this.o.evaluate.ask,
      floor: this.o.floor,
      sessionPrefix: `ops-preview-${fingerprint}-${++this.previews}`,
    });
  }

  /** The staged files as listed, a sidecar with no notice staged or live given a problem too. */
  private async describe(files: readonly StagedBytes[]): Promise<StagedFile[]> {
    const listed = await this.staging.list();
    const names = new Set(files.map((f) => f.name));
    return Promise.all(
      listed.map(async (f) => {
        if (f.problem || !f.name.endsWith('.yaml')) return f;
        const notice = `${f.name.slice(0, -'.yaml'.length)}.txt`;
        if (names.has(notice) || (await readIfExists(join(this.noticesDir, notice)))) return f;
        return { ...f, problem: `no notice ${notice} is staged or live for this sidecar` };
      }),
    );
  }

  /** Unstage the published files, unless one was staged anew meanwhile (then it stays for the next preview). */
  private async unstage(files: readonly StagedBytes[]): Promise<void> {
    for (const f of files) {
      const now = await readIfExists(join(this.staging.dir, f.name));
      if (now?.equals(f.bytes)) await this.staging.remove(f.name).catch((err) => (isHlError(err) ? undefined : Promise.reject(err)));
    }
  }

  /** Run publishes and rollbacks one at a time, after any recovery. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      await this.recoverOnce();
      return task();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Whether `kb` has the notice as `expected` has it (same text and metadata), or lacks it as `expected` does. */
function sameNotice(kb: KnowledgeBase, expected: KnowledgeBase, id: string): boolean {
  const a = kb.notice(id);
  const b = expected.notice(id);
  if (!a || !b) return a === b;
  return a.text === b.text && JSON.stringify(a.meta) === JSON.stringify(b.meta);
}
