/**
 * Knowledge folders of N notices for the growth curve: the five notices of `knowledge/notices/` and copies of
 * them under new ids (`<stem>-copyNNNN`, the stem's date kept, so each copy is its own notice; the id is the
 * file stem, not the 文号). Two variants:
 *   same   — every copy keeps its original's region (five regions, more and more notices in each);
 *   spread — every copy is moved, by a `region:` in its sidecar, to another city of the gazetteer, in turn
 *            (the original's sidecar kept, e.g. Baotou's corrections);
 *   distinct — moved as in spread, and its text made its own: every line that ends in 。 gets a word of the copy's
 *            own (letters, no digit: no fact changes) before it, so no clause stands word for word in two notices
 *            and nothing is indexed once for many — the vocabulary stays the notices', the postings grow with them,
 *            as with other bureaus' notices on the same topics.
 * Written once under os.tmpdir(), keyed by a hash of everything they are made from, so reruns reuse them.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { loadGazetteer } from '../../src/geo/gazetteer.js';
import { ROOT } from '../lib/server.js';

export type Variant = 'same' | 'spread' | 'distinct';

const KNOWLEDGE = join(ROOT, 'knowledge');
/** Bump when the way copies are written changes. */
const LAYOUT = 1;

/** The cities copies are moved to (spread variant): every city of the gazetteer, by code. */
export async function cities(): Promise<string[]> {
  const gazetteer = await loadGazetteer(join(KNOWLEDGE, 'regions.yaml'));
  return gazetteer
    .all()
    .filter((p) => p.level === 'city')
    .map((p) => p.name);
}

/** The folder (with `regions.yaml` and `notices/`) of `size` notices of a variant, written if not yet there. */
export async function knowledgeOf(variant: Variant, size: number): Promise<{ dir: string; written: boolean }> {
  const noticeDir = join(KNOWLEDGE, 'notices');
  const files = (await readdir(noticeDir)).sort();
  const stems = files.filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4));
  const places = variant === 'same' ? [] : await cities();
  const hash = createHash('sha256')
    .update(`layout ${LAYOUT}\n`)
    .update(await readFile(join(KNOWLEDGE, 'regions.yaml')));
  for (const f of files) hash.update(`\n${f}\n`).update(await readFile(join(noticeDir, f)));
  hash.update(places.join(','));
  const dir = join(tmpdir(), `hl-speed-growth-${hash.digest('hex').slice(0, 12)}`, `${variant}-${size}`);
  if (
    await stat(join(dir, '.complete'))
      .then(() => true)
      .catch(() => false)
  )
    return { dir, written: false };

  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(join(partial, 'notices'), { recursive: true });
  await copyFile(join(KNOWLEDGE, 'regions.yaml'), join(partial, 'regions.yaml'));
  const copiesEach = Math.ceil(size / stems.length) - 1;
  let written = 0;
  let moved = 0;
  for (let k = 0; k <= copiesEach; k++) {
    for (const stem of stems) {
      if (written >= size) break;
      const id = k === 0 ? stem : `${stem}-copy${String(k).padStart(4, '0')}`;
      if (k > 0 && variant === 'distinct') {
        const own = ` ${letters(written)}。`;
        const text = await readFile(join(noticeDir, `${stem}.txt`), 'utf8');
        await writeFile(join(partial, 'notices', `${id}.txt`), text.replace(/。(\r?)$/gm, `${own}$1`));
      } else await copyFile(join(noticeDir, `${stem}.txt`), join(partial, 'notices', `${id}.txt`));
      const sidecar = await readFile(join(noticeDir, `${stem}.yaml`), 'utf8').catch(() => null);
      if (k > 0 && variant !== 'same') {
        const doc = parseDocument(sidecar ?? 'version: 1\n');
        doc.set('region', places[moved++ % places.length]);
        await writeFile(join(partial, 'notices', `${id}.yaml`), doc.toString());
      } else if (sidecar !== null) await writeFile(join(partial, 'notices', `${id}.yaml`), sidecar);
      written++;
    }
  }
  await writeFile(join(partial, '.complete'), `${written} notices\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
  return { dir, written: true };
}

/** A word of its own for copy `n`: `n` in base 26 as letters (no digit, so no figure in the text changes). */
function letters(n: number): string {
  let out = '';
  for (let v = n + 26 * 26; v > 0; v = Math.floor(v / 26)) out = String.fromCharCode(97 + (v % 26)) + out;
  return `qz${out}`;
}
