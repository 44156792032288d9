// Applies migrations/*.sql with Postgrator, once, under an advisory lock, so that
// several replicas starting at the same moment do not race each other.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Postgrator from 'postgrator'
import type { Sql } from './db.ts'

export const migrationsDir = fileURLToPath(new URL('../../../migrations/', import.meta.url))

// Any constant shared by every process of this project; 'affi' in ASCII.
const MIGRATION_LOCK = 0x61666669

/** Applies every migration, or those up to `target` (a version, e.g. '040': benches compare schemas). */
export async function migrate(sql: Sql, { target }: { target?: string } = {}): Promise<{ applied: string[] }> {
  const conn = await sql.reserve()
  try {
    await conn`select pg_advisory_lock(${MIGRATION_LOCK})`
    const postgrator = new Postgrator({
      driver: 'pg',
      migrationPattern: `${migrationsDir}/*.sql`,
      schemaTable: 'schema_migrations',
      // Each file is sent as one simple query: PostgreSQL runs it as one transaction.
      execQuery: async (query) => ({ rows: await conn.unsafe(query) }),
    })
    const applied = await postgrator.migrate(target)
    return { applied: applied.map((m) => path.basename(m.filename)) }
  } finally {
    await conn`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {})
    conn.release()
  }
}
