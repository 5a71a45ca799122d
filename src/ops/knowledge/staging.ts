import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Document, isMap, parseDocument } from 'yaml';
import { HlError, isHlError } from '../../errors.js';
import { NOTICE_ID } from '../../ingest/notice.js';
import { decodeNotice } from '../../ingest/read.js';
import { parseSidecar } from '../../ingest/sidecar.js';
import { readIfExists, writeAtomic } from './files.js';

/** The largest notice or sidecar the staging area takes. */
export const STAGED_MAX_BYTES = 2 * 1024 * 1024;

/** A notice's file stem is its id: the build's own rule, so staging refuses what the build would. */
const STEM = NOTICE_ID;
const EXTENSION = /\.(txt|ya?ml)$/i;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface StagedFile {
  /** `<stem>.txt` (a notice) or `<stem>.yaml` (its sidecar). */
  name: string;
  size: number;
  /** Last written, epoch ms. */
  at: number;
  /** Why the file cannot be published, for one dropped in by hand (an upload is refused instead). */
  problem?: string;
}

/** A staged file's name and bytes, as a preview or a publish reads them. */
export interface StagedBytes {
  name: string;
  bytes: Buffer;
}

/**
 * The staging area (`<OPS_DIR>/staging/`): notices and sidecars waiting to be previewed and published, put
 * there by upload or dropped in by hand. Nothing here is live; the folder is created on demand.
 */
export class Staging {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** The staged files in name order, each with its problem when it could not be published as it is. */
  async list(): Promise<StagedFile[]> {
    const out: StagedFile[] = [];
    for (const name of await this.names()) {
      const file = join(this.dir, name);
      const [info, bytes] = await Promise.all([stat(file), readFile(file)]);
      const problem = problemOf(name, bytes);
      out.push({ name, size: info.size, at: Math.round(info.mtimeMs), ...(problem ? { problem } : {}) });
    }
    return out;
  }

  /** The staged files' bytes, in name order (every file; `list` says which have problems). */
  async read(): Promise<StagedBytes[]> {
    const names = await this.names();
    return Promise.all(names.map(async (name) => ({ name, bytes: await readFile(join(this.dir, name)) })));
  }

  /**
   * Stage a notice or a sidecar, replacing one of the same name. Refused with HL_ERR_STAGED_INVALID (and why)
   * unless the name is a bare `<stem>.txt` / `.yaml` / `.yml` with a valid notice id as stem, the file is at most
   * 2 MB, a notice is readable text and a sidecar passes the sidecar schema. A `.yml` is staged as `.yaml`, the
   * name the build reads.
   */
  async put(name: string, bytes: Uint8Array): Promise<StagedFile> {
    const target = canonicalName(name);
    const problem = problemOf(target, bytes);
    if (problem) throw new HlError('HL_ERR_STAGED_INVALID', [name, problem]);
    await mkdir(this.dir, { recursive: true });
    await writeAtomic(join(this.dir, target), bytes);
    const info = await stat(join(this.dir, target));
    return { name: target, size: info.size, at: Math.round(info.mtimeMs) };
  }

  /**
   * Unstage a file, one dropped in by hand with a bad name too; HL_ERR_STAGED_NOT_FOUND when there is none of that
   * name (only a name the folder lists is taken, so no path leads out of it).
   */
  async remove(name: string): Promise<void> {
    if (!(await this.names()).includes(name)) throw new HlError('HL_ERR_STAGED_NOT_FOUND', [name]);
    await rm(join(this.dir, name), { force: true });
  }

  /** Unstage everything (after a publish). */
  async clear(): Promise<void> {
    await Promise.all((await this.names()).map((name) => rm(join(this.dir, name), { force: true })));
  }

  /**
   * Stage a sidecar that makes a live notice temporary until `expires` (an ISO day), or with `expires: null`
   * takes its end date away (the sidecar's null wins over a date the text states). It starts from the sidecar
   * already staged for the notice, else its live one, keeping their other fields and comments; the change then
   * goes through the same preview and publish as any other. HL_ERR_NOTICE_NOT_FOUND when the notice is neither
   * live nor staged.
   */
  async stageExpiry(liveKnowledgeDir: string, noticeId: string, expires: string | null): Promise<StagedFile> {
    if (!STEM.test(noticeId)) throw new HlError('HL_ERR_NOTICE_NOT_FOUND', [noticeId]);
    if (expires !== null && !isIsoDay(expires))
      throw new HlError('HL_ERR_STAGED_INVALID', [`${noticeId}.yaml`, `expires ${expires} is not a YYYY-MM-DD day`]);
    const live = join(liveKnowledgeDir, 'notices');
    const [liveNotice, stagedNotice] = await Promise.all([
      readIfExists(join(live, `${noticeId}.txt`)),
      readIfExists(join(this.dir, `${noticeId}.txt`)),
    ]);
    if (!liveNotice && !stagedNotice) throw new HlError('HL_ERR_NOTICE_NOT_FOUND', [noticeId]);
    const base = (await readIfExists(join(this.dir, `${noticeId}.yaml`))) ?? (await readIfExists(join(live, `${noticeId}.yaml`)));
    const parsed = parseDocument(base?.toString('utf8') ?? '');
    // A sidecar in place that is no mapping is no base (the build refuses it anyway): start a fresh one.
    const doc: Document = parsed.errors.length === 0 && isMap(parsed.contents) ? parsed : new Document({ version: 1 });
    doc.set('kind', 'temporary');
    doc.set('expires', expires);
    return this.put(`${noticeId}.yaml`, Buffer.from(doc.toString()));
  }

  /** The names in the folder a person or an upload put there (temp files, dot-files and folders left out). */
  private async names(): Promise<string[]> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(this.dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return entries
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  }
}

/** `<stem>.yml` → `<stem>.yaml`, `.TXT` → `.txt`: the names the build reads. Other names are left as they are. */
function canonicalName(name: string): string {
  const m = EXTENSION.exec(name);
  if (!m) return name;
  const ext = (m[1] as string).toLowerCase() === 'txt' ? 'txt' : 'yaml';
  return `${name.slice(0, m.index)}.${ext}`;
}

function nameProblem(name: string): string | null {
  if (name === '' || /[/\\\u0000]/.test(name)) return 'a bare file name is needed, with no folder';
  if (name.includes('..')) return 'the name must not contain ..';
  if (name.startsWith('.')) return 'the name must not start with a dot';
  const m = EXTENSION.exec(name);
  if (!m) return 'only a notice (.txt) or its sidecar (.yaml) can be staged';
  const canonical = canonicalName(name);
  if (canonical !== name) return `name it ${canonical}, the name the build reads`;
  const stem = name.slice(0, m.index);
  if (!STEM.test(stem)) return 'the file name must be letters, digits, dot, dash or underscore (it is the notice id)';
  return null;
}

/** Why a staged file could not be published, or null. */
function problemOf(name: string, bytes: Uint8Array): string | null {
  const named = nameProblem(name);
  if (named) return named;
  if (bytes.length > STAGED_MAX_BYTES) return `${bytes.length} bytes is more than the 2 MB a staged file may have`;
  try {
    if (name.endsWith('.txt')) decodeNotice(bytes, name);
    else parseSidecar(Buffer.from(bytes).toString('utf8'), name);
  } catch (err) {
    if (isHlError(err)) return err.message;
    throw err;
  }
  return null;
}

function isIsoDay(s: string): boolean {
  if (!ISO_DAY.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
