import type Database from 'better-sqlite3';
import { HlError } from '../errors.js';

/**
 * The SQLite schema as migrations in code: migration i brings `PRAGMA user_version` from i to i + 1.
 * Add a migration at the end; never edit one that has shipped.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE conversations (
    session_id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    region TEXT,
    state TEXT NOT NULL,
    agent_id TEXT,
    queued_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_user_text TEXT
  );
  CREATE INDEX conversations_by_state ON conversations (state, queued_at);
  CREATE TABLE transcript (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    role TEXT NOT NULL,
    text TEXT NOT NULL,
    reply TEXT,
    agent_id TEXT,
    at INTEGER NOT NULL
  );
  CREATE INDEX transcript_by_session ON transcript (session_id, seq);
  CREATE TABLE handoffs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    region TEXT,
    status TEXT NOT NULL,
    agent_id TEXT,
    requested_at INTEGER NOT NULL,
    assigned_at INTEGER,
    ended_at INTEGER,
    resolution TEXT
  );
  CREATE INDEX handoffs_by_session ON handoffs (session_id, id);
  CREATE TABLE tickets (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    phone TEXT NOT NULL,
    question TEXT NOT NULL,
    region TEXT,
    status TEXT NOT NULL,
    claimed_by TEXT,
    resolution TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX tickets_by_status ON tickets (status, seq);
  CREATE TABLE state_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    event TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    at INTEGER NOT NULL,
    data TEXT
  );
  CREATE INDEX state_events_by_session ON state_events (session_id, id);
  `,
  `
  CREATE TABLE dialogue_sessions (
    session_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX dialogue_sessions_by_age ON dialogue_sessions (updated_at);
  `,
  `
  CREATE TABLE feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    target INTEGER NOT NULL,
    vote TEXT,
    score INTEGER,
    reason TEXT,
    comment TEXT,
    notice TEXT,
    clause TEXT,
    intent TEXT,
    agent_id TEXT,
    region TEXT,
    at INTEGER NOT NULL,
    UNIQUE (session_id, kind, target)
  );
  CREATE INDEX feedback_by_kind ON feedback (kind, id);
  `,
  `
  CREATE TABLE desk_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL,
    state TEXT NOT NULL
  );
  `,
  // Issue 16: the operators' desk — misses, and the transcript read by day.
  `
  CREATE TABLE misses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    session_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    text TEXT NOT NULL,
    reply TEXT NOT NULL,
    reply_type TEXT,
    region TEXT,
    intent TEXT,
    rule TEXT,
    confidence REAL,
    candidates TEXT NOT NULL,
    detail TEXT,
    comment TEXT,
    at INTEGER NOT NULL
  );
  CREATE INDEX misses_by_at ON misses (at);
  CREATE INDEX transcript_by_at ON transcript (at);
  `,
];

/**
 * Connection settings: WAL (readers never block the writer; a commit survives a killed process),
 * synchronous=NORMAL (fsync at checkpoints, not every commit — a power cut may lose the last commits,
 * a process crash loses none), and a busy timeout for another connection's lock.
 */
export function configure(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
}

/** Applies the migrations the file lacks, in one transaction; refuses a file newer than this code. */
export function migrate(db: Database.Database, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new HlError('HL_ERR_DATA_INVALID', [file, `schema version ${current} is newer than this code knows (${MIGRATIONS.length})`]);
  }
  db.transaction(() => {
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    }
  })();
}
