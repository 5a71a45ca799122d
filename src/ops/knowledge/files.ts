import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replace a file whole: the bytes go to a temp file in the same folder (a dot-name ending in `.tmp`, which no
 * loader reads), are flushed to disk, then renamed over the file. A reader sees the old bytes or the new ones,
 * and a crash leaves at worst a stray temp file.
 */
export async function writeAtomic(file: string, bytes: Uint8Array | string): Promise<void> {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}

/** A file's bytes, or null when there is no such file. */
export async function readIfExists(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** A short digest of named files (names and bytes, in name order): which staged set a preview was of. */
export function fingerprintOf(files: readonly { name: string; bytes: Uint8Array }[]): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    hash.update(`${f.name}\u0000${f.bytes.length}\u0000`);
    hash.update(f.bytes);
  }
  return hash.digest('hex').slice(0, 16);
}

/** The digest of one file's bytes (what a publish wrote, to tell later whether someone changed it since). */
export function digestOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}
