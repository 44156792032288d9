// The reporting handle: Kysely over postgres.js. Decided once, here: counts (int8) come
// back as numbers, money (numeric) as decimal strings that queries cast to 4 places,
// timestamps as Date; everything in UTC.
import { createSql, type Sql } from '@affiliate/shared/db'
import type { Database } from '@affiliate/shared/schema'
import { Kysely } from 'kysely'
import { PostgresJSDialect } from 'kysely-postgres-js'

export type Db = Kysely<Database>

/** Created by migrations/020: SELECT on every table and nothing else. Operators' read-only logins join it (docs/scaling.md). */
export const READ_ONLY_ROLE = 'affiliate_reporting'

export interface OpenedDb {
  db: Db
  /** The role sessions run as, when the server let us switch to the read-only one. */
  role: string | undefined
  close(): Promise<void>
}

/**
 * Opens the handle. A read-only one (the service's) cannot write: its sessions switch to the
 * SELECT-only role where they can, and where they cannot, every transaction is read-only.
 * A login that is itself SELECT-only (REPORTING_DATABASE_URL, a member of the role) is the
 * stronger guard there: a read-only transaction is a setting the session could change.
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
  const sql = createSql(url, {
    max,
    name: 'affiliate-reporting',
    int8: 'number',
    role,
    readOnly: readOnly && role === undefined,
    statementTimeoutMs,
  })
  const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: sql }) })
  // Kysely's destroy() ends the pool without a timeout, which waits for ever on a connection
  // whose backend was terminated mid-query (porsager/postgres#1097). With a short one such a
  // connection is cut after half a second, and destroy() then finds the pool ended.
  const close = async () => {
    await sql.end({ timeout: 0.5 })
    await db.destroy()
  }
  return { db, role, close }
}

/** A query PostgreSQL cancelled: its statement_timeout (or an operator's pg_cancel_backend). */
export function isQueryCanceled(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '57014'
}

/**
 * Whether sessions of this login may run as `role`: a superuser or a member may SET ROLE, but
 * on Citus only to a role that can log in, since Citus opens its connections to the workers
 * as the current role (a NOLOGIN one fails every query on a distributed table).
 */
async function canSetRole(url: string, role: string): Promise<boolean> {
  const probe: Sql = createSql(url, { max: 1, name: 'affiliate-reporting-probe' })
  try {
    const [row] = await probe.begin(
      (tx) => tx<{ usable: boolean }[]>`
        select set_config('role', ${role}, true) is not null
          and (rolcanlogin or not exists (select from pg_extension where extname = 'citus')) as usable
        from pg_roles where rolname = ${role}`,
    )
    return row?.usable === true
  } catch {
    return false
  } finally {
    await probe.end({ timeout: 1 })
  }
}
