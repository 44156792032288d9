// Each test gets a database of its own, cloned from a migrated template that
// `pnpm test` prepares: tests run in parallel and never see each other's rows.
import { randomBytes } from 'node:crypto'
import { loadTestDatabaseUrl } from './config.ts'
import { createSql, databaseUrl } from './db.ts'

export const TEMPLATE_DATABASE = 'affiliate_test_template'

interface Teardown {
  teardown(fn: () => unknown): void
}

/** Creates an empty, migrated database, dropped when `t` ends. Returns its URL. */
export async function createTestDatabase(t: Teardown): Promise<string> {
  const serverUrl = loadTestDatabaseUrl()
  const name = `test_${randomBytes(6).toString('hex')}`
  const admin = createSql(serverUrl, { max: 1, name: 'affiliate-test-admin' })
  await admin.unsafe(`create database ${name} template ${TEMPLATE_DATABASE}`)
  t.teardown(async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end()
  })
  return databaseUrl(serverUrl, name)
}
