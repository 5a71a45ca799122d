import { createHash } from 'node:crypto';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
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
 * domain's terms come from the user dictionary). Written once to `dir`, named by content.
 */
export async function slimDictionaries(dir: string, minFrequency: number): Promise<JiebaDictionaries> {
  if (minFrequency <= 1)
    return { dict: bundled.DEFAULT_DICT, idfDict: bundled.DEFAULT_IDF_DICT, stopWordDict: bundled.DEFAULT_STOP_WORD_DICT };
  const kept = keepFrequent(await readFile(bundled.DEFAULT_DICT), minFrequency);
  const hash = createHash('sha256').update(kept).digest('hex').slice(0, 16);
  await mkdir(dir, { recursive: true });
  const dict = join(dir, `jieba.${hash}.dict.utf8`);
  const idfDict = join(dir, 'idf.min.utf8');
  const stopWordDict = join(dir, 'stop_words.min.utf8');
  const exists = await access(dict).then(
    () => true,
    () => false,
  );
  if (!exists) await writeFile(dict, kept);
  await writeFile(idfDict, '医保 10.0\n');
  await writeFile(stopWordDict, '的\n');
  return { dict, idfDict, stopWordDict };
}
