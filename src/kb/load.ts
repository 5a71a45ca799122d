import { join } from 'node:path';
import { loadGazetteer } from '../geo/gazetteer.js';
import { loadNotices } from '../ingest/load.js';
import { KnowledgeBase } from './knowledge-base.js';

/** Build the knowledge base from a knowledge folder: `regions.yaml` and `notices/*.txt` (+ sidecars). */
export async function buildFromDir(knowledgeDir: string, now: () => Date = () => new Date()): Promise<KnowledgeBase> {
  const regions = await loadGazetteer(join(knowledgeDir, 'regions.yaml'));
  const { notices, skipped } = await loadNotices(join(knowledgeDir, 'notices'), regions);
  return new KnowledgeBase({ notices, skipped, regions, builtAt: now() });
}
