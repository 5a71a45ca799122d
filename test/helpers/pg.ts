import pg from 'pg';

/** The PostgreSQL every machine of this project runs (trust auth, database `test`); TEST_DATABASE_URL overrides it. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether PostgreSQL answers. When it does not: in CI the tests that need it fail (they must run there); elsewhere
 * they are skipped, and this says why.
 */
export async function postgresOrSkip(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (err) {
    const why = `PostgreSQL is not reachable at ${TEST_DATABASE_URL} (${(err as Error).message})`;
    if (process.env.CI) throw new Error(`${why}: CI must run the tests that need it`);
    console.warn(`skipping the tests that need PostgreSQL: ${why}`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
