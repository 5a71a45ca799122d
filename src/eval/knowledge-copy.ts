import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway copy of a knowledge folder with more notices dropped into it — what a bureau does when it
 * publishes one — so a labelled set over other notices is scored with no change to the project.
 */
export async function knowledgeWith(
  knowledgeDir: string,
  noticeDirs: readonly string[],
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'hl-knowledge-'));
  for (const entry of await readdir(knowledgeDir)) {
    if (entry !== 'build') await cp(join(knowledgeDir, entry), join(dir, entry), { recursive: true });
  }
  for (const extra of noticeDirs) {
    for (const f of await readdir(extra)) if (/\.(?:txt|ya?ml)$/.test(f)) await cp(join(extra, f), join(dir, 'notices', f));
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
