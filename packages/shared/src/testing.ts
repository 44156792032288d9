// Each test gets a database of its own, cloned from a migrated template that
// `pnpm test` prepares: tests run in parallel and never see each other's rows.
// `pnpm test:citus` runs one file at a time in one migrated database instead (Citus has no
// template databases), emptied before each test.
import { randomBytes } from 'node:crypto'
import { loadTestDatabaseShared, loadTestDatabaseUrl } from './config.ts'
import { createSql, databaseUrl, type Sql } from './db.ts'

export const TEMPLATE_DATABASE = 'affiliate_test_template'

interface Teardown {
  teardown(fn: () => unknown): void
}

/** Creates an empty, migrated database, dropped when `t` ends. Returns its URL. */
export async function createTestDatabase(t: Teardown): Promise<string> {
  const serverUrl = loadTestDatabaseUrl()
  if (loadTestDatabaseShared()) {
    const sql = createSql(serverUrl, { max: 1, name: 'affiliate-test-admin' })
    await emptyDatabase(sql).finally(() => sql.end())
    return serverUrl
  }
  const name = `test_${randomBytes(6).toString('hex')}`
  const admin = createSql(serverUrl, { max: 1, name: 'affiliate-test-admin' })
  await admin.unsafe(`create database ${name} template ${TEMPLATE_DATABASE}`)
  t.teardown(async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end()
  })
  return databaseUrl(serverUrl, name)
}

/** Empties every table but the migrations' own, identities restarted: as freshly migrated. */
export async function emptyDatabase(sql: Sql): Promise<void> {
  // Partitions go with their parent; one TRUNCATE, so foreign keys between the tables hold.
  const tables = await sql<{ name: string }[]>`
    select format('%I', relname) as name from pg_class
    where relnamespace = 'public'::regnamespace and relkind in ('r', 'p') and not relispartition
      and relname <> 'schema_migrations'`
  await sql.unsafe(`truncate ${tables.map((t) => t.name).join(', ')} restart identity`)
}
