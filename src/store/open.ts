import { HlError } from '../errors.js';
import { MemoryStore } from './memory.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export interface StoreOptions {
  kind: 'memory' | 'sqlite';
  /** Where SQLite keeps `hotline.db` (created if missing); required for `sqlite`, unused for `memory`. */
  dataDir?: string;
}

/** The store the options name: in memory (tests), or SQLite in `<dataDir>/hotline.db`. */
export function openStore(options: StoreOptions): Store {
  if (options.kind === 'memory') return new MemoryStore();
  if (!options.dataDir) throw new HlError('HL_ERR_CONFIG_INVALID', ['the SQLite store needs a data directory']);
  return new SqliteStore({ dataDir: options.dataDir });
}
