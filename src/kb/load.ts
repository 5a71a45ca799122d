import { join } from 'node:path';
import { type BuildCache, fileParts, folderParts } from '../cache.js';
import { loadGazetteer } from '../geo/gazetteer.js';
import { loadNotices } from '../ingest/load.js';
import { KnowledgeBase } from './knowledge-base.js';

/**
 * Build the knowledge base from a knowledge folder: `regions.yaml` and `notices/*.txt` (+ sidecars). With a
 * build cache, the ingested notices are read from it while the folder's files are byte for byte those they
 * were built from (and the code the same); a notice added, changed or removed builds them again.
 */
export async function buildFromDir(knowledgeDir: string, now: () => Date = () => new Date(), cache?: BuildCache): Promise<KnowledgeBase> {
  const regionsFile = join(knowledgeDir, 'regions.yaml');
  const noticesDir = join(knowledgeDir, 'notices');
  const regions = await loadGazetteer(regionsFile, cache);
  const ingest = async () => {
    const { notices, skipped } = await loadNotices(noticesDir, regions);
    return { notices, skipped };
  };
  const inputs = async () => [...(await fileParts([regionsFile])), ...(await folderParts(noticesDir))];
  const { notices, skipped } = cache ? await cache.get('notices', await inputs(), ingest) : await ingest();
  return new KnowledgeBase({ notices, skipped, regions, builtAt: now() });
}
