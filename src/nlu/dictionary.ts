import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import jieba from 'nodejieba';

/** nodejieba exports the paths of its bundled dictionaries; its type declarations omit them. */
const bundled = jieba as unknown as { DEFAULT_DICT: string; DEFAULT_IDF_DICT: string; DEFAULT_STOP_WORD_DICT: string };

export interface JiebaDictionaries {
  dict: string;
  idfDict: string;
  stopWordDict: string;
}

/** Lines of jieba's `word freq tag` dictionary whose frequency is at least `min`, scanned as bytes. */
function keepFrequent(source: Buffer, min: number): Buffer {
  const out = Buffer.alloc(source.length);
  let size = 0;
  let start = 0;
  while (start < source.length) {
    let end = source.indexOf(0x0a, start);
    if (end < 0) end = source.length;
    const firstSpace = source.indexOf(0x20, start);
    let freq = 0;
    if (firstSpace > start && firstSpace < end) {
      for (let i = firstSpace + 1; i < end && source[i] !== 0x20; i++) freq = freq * 10 + ((source[i] as number) - 0x30);
    }
    if (freq >= min) {
      source.copy(out, size, start, end);
      size += end - start;
      out[size++] = 0x0a;
    }
    start = end + 1;
  }
  return out.subarray(0, size);
}

/**
 * jieba's dictionaries, slimmed for this service. nodejieba builds its word trie twice (the segmenter
 * and the TextRank extractor) and loads a 6 MB IDF table for keyword extraction: about 250 MB in all.
 * The service only segments, so the IDF and stop-word tables hold one line each and the main dictionary
 * keeps the words seen at least `minFrequency` times (rarer words still segment, through the HMM; the
 * domain's terms come from the user dictionary).
 *
 * Written once to `dir`, named by what it is made from (the bundled dictionary's path, size and time,
 * `minFrequency`, the code that slims it) and by its own digest, checked when it is read back: jieba's 5 MB
 * dictionary is no longer read at every start (issue 14), and a file whose bytes do not match is written
 * again. Files are replaced whole, so another process never reads one half written.
 */
export async function slimDictionaries(dir: string, minFrequency: number): Promise<JiebaDictionaries> {
  if (minFrequency <= 1)
    return { dict: bundled.DEFAULT_DICT, idfDict: bundled.DEFAULT_IDF_DICT, stopWordDict: bundled.DEFAULT_STOP_WORD_DICT };
  await mkdir(dir, { recursive: true });
  const source = await stat(bundled.DEFAULT_DICT);
  const made = createHash('sha256')
    .update(JSON.stringify([bundled.DEFAULT_DICT, source.size, source.mtimeMs, minFrequency, keepFrequent.toString()]))
    .digest('hex')
    .slice(0, 16);
  const [dict, idfDict, stopWordDict] = await Promise.all([
    slimDictionary(dir, made, minFrequency),
    writeIfChanged(join(dir, 'idf.min.utf8'), '医保 10.0\n'),
    writeIfChanged(join(dir, 'stop_words.min.utf8'), '的\n'),
  ]);
  return { dict, idfDict, stopWordDict };
}

/** `jieba.<made>.<digest>.dict.utf8`: the one made from these inputs when its bytes match its digest, else a new one. */
async function slimDictionary(dir: string, made: string, minFrequency: number): Promise<string> {
  const prefix = `jieba.${made}.`;
  const names = await readdir(dir);
  for (const name of names.filter((n) => n.startsWith(prefix) && n.endsWith('.dict.utf8'))) {
    const digest = name.slice(prefix.length, -'.dict.utf8'.length);
    const bytes = await readFile(join(dir, name)).catch(() => null);
    if (bytes && digestOf(bytes) === digest) return join(dir, name);
  }
  const kept = keepFrequent(await readFile(bundled.DEFAULT_DICT), minFrequency);
  const file = join(dir, `${prefix}${digestOf(kept)}.dict.utf8`);
  await replace(file, kept);
  // Dictionaries made from other inputs (an older code version, another JIEBA_MIN_FREQUENCY) are left for
  // another process that may still use them; those made from these inputs but damaged go.
  const damaged = names.filter((n) => n.startsWith(prefix) && n.endsWith('.dict.utf8') && join(dir, n) !== file);
  await Promise.all(damaged.map((n) => rm(join(dir, n), { force: true })));
  return file;
}

function digestOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** Replace a file whole: a reader (jieba in another process) never sees it half written. */
async function replace(file: string, bytes: Buffer | string): Promise<void> {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, file);
}

async function writeIfChanged(file: string, text: string): Promise<string> {
  const now = await readFile(file, 'utf8').catch(() => null);
  if (now !== text) await replace(file, text);
  return file;
}
