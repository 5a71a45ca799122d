import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { HlError, isHlError } from '../errors.js';
import type { Gazetteer } from '../geo/gazetteer.js';
import { ingestNotice, type Notice } from './notice.js';
import { parseSidecar } from './sidecar.js';

export interface SkippedNotice {
  file: string;
  code: string;
  message: string;
}

export interface LoadResult {
  notices: Notice[];
  skipped: SkippedNotice[];
  regions: Gazetteer;
}

/**
 * Ingest every `*.txt` in a folder, with its `<stem>.yaml` sidecar when there is one. A notice that
 * cannot be read (or whose sidecar is invalid) is reported in `skipped` and never stops the others.
 */
export async function loadNotices(dir: string, gazetteer: Gazetteer): Promise<LoadResult> {
  const names = (await readdir(dir)).filter((n) => extname(n).toLowerCase() === '.txt').sort();
  const notices: Notice[] = [];
  const skipped: SkippedNotice[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const stem = basename(name, extname(name));
    try {
      const [bytes, sidecarText] = await Promise.all([readFile(file), readOptional(join(dir, `${stem}.yaml`))]);
      const sidecar = sidecarText === null ? undefined : parseSidecar(sidecarText, join(dir, `${stem}.yaml`));
      notices.push(ingestNotice({ stem, file, bytes, ...(sidecar ? { sidecar } : {}) }, gazetteer));
    } catch (err) {
      const e = isHlError(err) ? err : new HlError('HL_ERR_NOTICE_UNREADABLE', [file, (err as Error).message], { cause: err });
      skipped.push({ file, code: e.code, message: e.message });
    }
  }
  return { notices, skipped, regions: gazetteer };
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
