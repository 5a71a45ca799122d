import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';

/**
 * Build once, load many (issue 14): what the service derives from its data files at start — the places and
 * their names, the knowledge base built from the notices, the checked language data — is kept under
 * `DATA_DIR/cache` and read back on the next start instead of being built again.
 *
 * An entry is found by a key made of everything it was built from: the contents of its input files (a
 * notice dropped into the folder, an edited intent: a new key), every source file of the service and the
 * versions of the libraries (a new release: a new key). A stale entry is never served, only left behind and
 * replaced. An entry that cannot be read back (truncated, corrupt, another format) is ignored and rebuilt; one
 * that cannot be written (a read-only disk) costs only the rebuild on the next start.
 */
export class BuildCache {
  /** What happened to the entries asked for (the last 64), for the start-up log: `hit`, `built`, or `rebuilt` (unreadable). */
  readonly events: { name: string; outcome: 'hit' | 'built' | 'rebuilt'; error?: string }[] = [];

  constructor(readonly dir: string) {}

  /**
   * The value `build` makes from `inputs`, read from the cache when an entry for them is there. `name` names
   * the kind of value (one entry is kept per name); `inputs` are the contents it depends on besides the code.
   */
  async get<T>(name: string, inputs: readonly KeyPart[], build: () => Promise<T> | T): Promise<T> {
    const key = keyOf([FORMAT, process.version, name, await codeVersion(), ...inputs]);
    const file = join(this.dir, `${name}.${key}.bin`);
    let unreadable: string | undefined;
    try {
      const value = decode(await readFile(file), key) as T;
      this.note({ name, outcome: 'hit' });
      return value;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') unreadable = (err as Error).message;
    }
    const value = await build();
    await this.put(name, file, encode(value, key));
    this.note({ name, outcome: unreadable ? 'rebuilt' : 'built', ...(unreadable ? { error: unreadable } : {}) });
    return value;
  }

  private note(event: BuildCache['events'][number]): void {
    this.events.push(event);
    if (this.events.length > 64) this.events.splice(0, this.events.length - 64);
  }

  /** Write an entry whole (a reader never sees half of one) and drop the older entries of its name. */
  private async put(name: string, file: string, bytes: Buffer): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
      const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, file);
      const stale = (await readdir(this.dir)).filter((f) => f.startsWith(`${name}.`) && f.endsWith('.bin') && join(this.dir, f) !== file);
      await Promise.all(stale.map((f) => rm(join(this.dir, f), { force: true })));
    } catch {
      // Not written: the next start builds it again.
    }
  }
}

/** A part of a key: a text, or a file's bytes. */
export type KeyPart = string | Uint8Array;

/** Bumped when the entry format changes (the Node version is part of every key too: v8's serialization is its own). */
const FORMAT = 'hl-build-cache/1';
const DIGEST = 20;

function keyOf(parts: readonly KeyPart[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part) : part;
    // Each part's length first, so that parts cannot run into each other.
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  }
  return hash.digest('hex').slice(0, 32);
}

/** A digest of the rest, then the key and the value (v8 serialization keeps Maps, Sets and shared objects). */
function encode(value: unknown, key: string): Buffer {
  const payload = serialize({ key, value });
  return Buffer.concat([createHash('sha1').update(payload).digest(), payload]);
}

function decode(bytes: Buffer, key: string): unknown {
  const payload = bytes.subarray(DIGEST);
  if (bytes.length <= DIGEST || !createHash('sha1').update(payload).digest().equals(bytes.subarray(0, DIGEST)))
    throw new Error('the cache entry is damaged (its digest does not match)');
  const entry = deserialize(payload) as { key?: unknown; value?: unknown } | null;
  if (entry?.key !== key) throw new Error('the cache entry is for other inputs');
  return entry.value;
}

/**
 * The files of the given paths as key parts: each path and its bytes, or what kept them from being read
 * (`absent`, `unreadable: EACCES`): the build then meets the same and says so, as it would without a cache.
 */
export async function fileParts(files: readonly string[]): Promise<KeyPart[]> {
  const contents = await Promise.all(
    files.map((f) =>
      readFile(f).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? 'absent' : `unreadable: ${err.code ?? err.message}`)),
    ),
  );
  return files.flatMap((f, i) => [f, contents[i] as KeyPart]);
}

/**
 * Every file under a folder (sorted, relative paths; a link read through), as key parts; a folder that cannot
 * be listed is one part saying why (`absent` …).
 */
export async function folderParts(dir: string, keep: (file: string) => boolean = () => true): Promise<KeyPart[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => !e.isDirectory())
      .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)))
      .filter(keep)
      .sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return [dir, code === 'ENOENT' ? 'absent' : `unreadable: ${code ?? (err as Error).message}`];
  }
  return [dir, ...(await fileParts(names.map((n) => join(dir, n))))];
}

let code: Promise<string> | null = null;

/**
 * The version of the code that builds the entries: every source file of the service (the folder this module
 * runs from, `dist/` or `src/`) and the versions of the libraries it depends on (package.json beside it).
 * Read synchronously, once per process: some 140 small files, a few milliseconds.
 */
export function codeVersion(): Promise<string> {
  code ??= Promise.resolve().then(() => {
    const root = dirname(fileURLToPath(import.meta.url));
    const project = dirname(root);
    const hash = createHash('sha256');
    const part = (bytes: string | Uint8Array) => {
      hash.update(`${typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length}:`);
      hash.update(bytes);
    };
    const sources = (readdirSync(root, { recursive: true }) as string[])
      .filter((f) => /\.(js|ts|mjs|cjs)$/.test(f) && !f.endsWith('.d.ts'))
      .sort();
    for (const f of sources) {
      part(f);
      part(readFileSync(join(root, f)));
    }
    let dependencies: string[] = [];
    try {
      const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
      dependencies = Object.keys(pkg.dependencies ?? {}).sort();
    } catch {
      dependencies = [];
    }
    for (const d of dependencies) {
      let version = '?';
      try {
        version =
          (JSON.parse(readFileSync(join(project, 'node_modules', d, 'package.json'), 'utf8')) as { version?: string }).version ?? '?';
      } catch {
        version = '?';
      }
      part(`${d}@${version}`);
    }
    return hash.digest('hex').slice(0, 32);
  });
  return code;
}
