import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Gazetteer, loadGazetteer } from '../../src/geo/gazetteer.js';
import type { KnowledgeBase } from '../../src/kb/knowledge-base.js';
import { buildFromDir } from '../../src/kb/load.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const KNOWLEDGE_DIR = join(ROOT, 'knowledge');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

let kb: Promise<KnowledgeBase> | null = null;
let gazetteer: Promise<Gazetteer> | null = null;

/** The knowledge base built from the project's own knowledge folder, once per test file. */
export function projectKnowledge(): Promise<KnowledgeBase> {
  kb ??= buildFromDir(KNOWLEDGE_DIR);
  return kb;
}

/** The gazetteer with the project's regions.yaml, once per test file. */
export function projectGazetteer(): Promise<Gazetteer> {
  gazetteer ??= loadGazetteer(join(KNOWLEDGE_DIR, 'regions.yaml'));
  return gazetteer;
}

/**
 * A knowledge base of the given notices (`id → text`) with the project's regions.yaml, built from a temp
 * folder as `buildFromDir` builds the real one; `remove` deletes the folder.
 */
export async function knowledgeOf(notices: Readonly<Record<string, string>>): Promise<{ kb: KnowledgeBase; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'hl-kb-'));
  await mkdir(join(dir, 'notices'));
  await cp(join(KNOWLEDGE_DIR, 'regions.yaml'), join(dir, 'regions.yaml'));
  for (const [id, text] of Object.entries(notices)) await writeFile(join(dir, 'notices', `${id}.txt`), text);
  const kb = await buildFromDir(dir);
  return { kb, remove: () => rm(dir, { recursive: true, force: true }) };
}
