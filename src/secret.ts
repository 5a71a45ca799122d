import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The secret that signs chat resume tokens when SESSION_SECRET is not configured: generated once and kept
 * in DATA_DIR (mode 0600), so a restart does not cut every widget off its conversation.
 */
export async function sessionSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, 'session-secret');
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (existing.trim().length >= 32) return existing.trim();
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}
