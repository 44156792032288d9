// The reporting handle: Kysely over postgres.js. Decided once, here: counts (int8) come
// back as numbers, money (numeric) as decimal strings that queries cast to 4 places,
// timestamps as Date; everything in UTC.
import { createSql, type Sql } from '@affiliate/shared/db'
import type { Database } from '@affiliate/shared/schema'
import { Kysely } from 'kysely'
import { PostgresJSDialect } from 'kysely-postgres-js'

export type Db = Kysely<Database>

/** Created by migrations/020; SELECT on every table and nothing else. */
export const READ_ONLY_ROLE = 'affiliate_reporting'

export interface OpenedDb {
  db: Db
  /** The role sessions run as, when the server let us switch to the read-only one. */
  role: string | undefined
  close(): Promise<void>
}

/**
 * Opens the handle. Sessions switch to the SELECT-only role when this login may (a
 * superuser or a member); otherwise they keep the login's own privileges, which is what
 * an operator chooses by pointing REPORTING_DATABASE_URL at a read-only login.
 */
export async function openDb(
  url: string,
  {
    max = 10,
    readOnly = true,
    statementTimeoutMs,
  }: { max?: number; readOnly?: boolean; statementTimeoutMs?: number } = {},
): Promise<OpenedDb> {
  // The CLIs (apikey, reconcile --fix) write, with the login's own privileges.
  const role = readOnly && (await canSetRole(url, READ_ONLY_ROLE)) ? READ_ONLY_ROLE : undefined
  const sql = createSql(url, { max, name: 'affiliate-reporting', int8: 'number', role, statementTimeoutMs })
  const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: sql }) })
  // Closed once nothing is in flight: timeout 0 also closes at once the connections whose
  // backend was terminated mid-query, which a graceful end() would wait on for ever
  // (porsager/postgres#1097); db.destroy() then finds the pool ended.
  const close = async () => {
    await sql.end({ timeout: 0 })
    await db.destroy()
  }
  return { db, role, close }
}

/** A query PostgreSQL cancelled: its statement_timeout (or an operator's pg_cancel_backend). */
export function isQueryCanceled(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '57014'
}

async function canSetRole(url: string, role: string): Promise<boolean> {
  const probe: Sql = createSql(url, { max: 1, name: 'affiliate-reporting-probe' })
  try {
    await probe.begin((tx) => tx`select set_config('role', ${role}, true)`)
    return true
  } catch {
    return false
  } finally {
    await probe.end({ timeout: 1 })
  }
}
