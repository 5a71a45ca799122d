import type { Pool } from 'pg';
import { HlError } from '../errors.js';

/**
 * The PostgreSQL schema as numbered migrations in code (the SQL files, kept where the bundle keeps the rest):
 * migration i brings the schema from version i to i + 1. Add a migration at the end; never edit one that has
 * shipped. The same tables as SQLite's (sqlite-schema.ts); times are epoch milliseconds.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE conversations (
    session_id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    region TEXT,
    state TEXT NOT NULL,
    agent_id TEXT,
    queued_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_user_text TEXT
  );
  CREATE INDEX conversations_by_state ON conversations (state, queued_at);
  CREATE TABLE transcript (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id TEXT NOT NULL,
    role TEXT NOT NULL,
    text TEXT NOT NULL,
    reply JSONB,
    agent_id TEXT,
    at BIGINT NOT NULL
  );
  CREATE INDEX transcript_by_session ON transcript (session_id, seq);
  CREATE TABLE handoffs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    region TEXT,
    status TEXT NOT NULL,
    agent_id TEXT,
    requested_at BIGINT NOT NULL,
    assigned_at BIGINT,
    ended_at BIGINT,
    resolution TEXT
  );
  CREATE INDEX handoffs_by_session ON handoffs (session_id, id);
  CREATE TABLE tickets (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id TEXT NOT NULL,
    phone TEXT NOT NULL,
    question TEXT NOT NULL,
    region TEXT,
    status TEXT NOT NULL,
    claimed_by TEXT,
    resolution TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE INDEX tickets_by_status ON tickets (status, seq);
  CREATE TABLE state_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id TEXT NOT NULL,
    event TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    at BIGINT NOT NULL,
    data JSONB
  );
  CREATE INDEX state_events_by_session ON state_events (session_id, id);
  CREATE TABLE dialogue_sessions (
    session_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE INDEX dialogue_sessions_by_age ON dialogue_sessions (updated_at);
  CREATE TABLE feedback (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    target BIGINT NOT NULL,
    vote TEXT,
    score INTEGER,
    reason TEXT,
    comment TEXT,
    notice TEXT,
    clause TEXT,
    intent TEXT,
    agent_id TEXT,
    region TEXT,
    at BIGINT NOT NULL,
    UNIQUE (session_id, kind, target)
  );
  CREATE INDEX feedback_by_kind ON feedback (kind, id);
  CREATE TABLE service_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE desk_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL,
    state TEXT NOT NULL
  );
  `,
  // Issue 16: the operators' desk — misses, and the transcript read by day.
  `
  CREATE TABLE misses (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    session_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    text TEXT NOT NULL,
    reply TEXT NOT NULL,
    reply_type TEXT,
    region TEXT,
    intent TEXT,
    rule TEXT,
    confidence DOUBLE PRECISION,
    candidates JSONB NOT NULL,
    detail TEXT,
    comment TEXT,
    at BIGINT NOT NULL
  );
  CREATE INDEX misses_by_at ON misses (at);
  CREATE INDEX transcript_by_at ON transcript (at);
  `,
];

/** Any number, the same for every instance of this service: the advisory lock migrations are applied under. */
const MIGRATION_LOCK = 0x686c_6d67; // "hlmg"

/** A schema name safe to put in SQL as it is (the config checks it; this checks again). */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new HlError('HL_ERR_CONFIG_INVALID', [`database schema must be lowercase letters, digits and _: ${schema}`]);
  return `"${schema}"`;
}

/**
 * Applies the migrations `schema` lacks, in one transaction under an advisory lock, so instances starting together
 * apply each once; refuses a schema newer than this code. Creates the schema when it does not exist.
 */
export async function migrate(pool: Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const name = quoteSchema(schema);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${name}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${name}.schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`);
    const { rows } = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${name}.schema_migrations`);
    const current = rows[0]?.version ?? 0;
    if (current > PG_MIGRATIONS.length)
      throw new HlError('HL_ERR_DATA_INVALID', [
        schema,
        `schema version ${current} is newer than this code knows (${PG_MIGRATIONS.length})`,
      ]);
    await client.query(`SET LOCAL search_path TO ${name}`);
    for (let version = current; version < PG_MIGRATIONS.length; version++) {
      await client.query(PG_MIGRATIONS[version] as string);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version + 1, Date.now()]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
