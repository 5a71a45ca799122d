import { HlError } from '../errors.js';
import { MemoryStore } from './memory.js';
import { PgStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export interface StoreOptions {
  kind: 'memory' | 'sqlite';
  /** Where SQLite keeps `hotline.db` (created if missing); required for `sqlite`, unused for `memory`. */
  dataDir?: string;
  /** PostgreSQL (DATABASE_URL), which several instances share: when given, `kind` and `dataDir` are not used. */
  database?: { url: string; schema: string } | null;
}

/** The store the options name: PostgreSQL, in memory (tests), or SQLite in `<dataDir>/hotline.db`. */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.database) return PgStore.open(options.database);
  if (options.kind === 'memory') return new MemoryStore();
  if (!options.dataDir) throw new HlError('HL_ERR_CONFIG_INVALID', ['the SQLite store needs a data directory']);
  return new SqliteStore({ dataDir: options.dataDir });
}
