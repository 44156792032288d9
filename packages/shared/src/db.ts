// One way to open a postgres.js handle, so that every process agrees on types and time zone.
import postgres from 'postgres'

export type Sql = postgres.Sql

export interface SqlOptions {
  max?: number
  /** Application name shown in pg_stat_activity. */
  name?: string
  /**
   * How int8 (bigint, count(*)) comes back: 'string' (exact at any size, the default) or
   * 'number' (for report handles whose counts stay far below 2^53).
   */
  int8?: 'string' | 'number'
  /** Role every session switches to at connect (SET ROLE), e.g. a SELECT-only one. */
  role?: string
  /** Every transaction read-only (default_transaction_read_only): a write is refused (25006). */
  readOnly?: boolean
  /** PostgreSQL's statement_timeout for every session, in ms: a longer statement is cancelled (57014). */
  statementTimeoutMs?: number
}

export function createSql(url: string, options: SqlOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    // Hours and days are UTC everywhere: rollup buckets, date_trunc and reports agree.
    connection: {
      application_name: options.name ?? 'affiliate',
      TimeZone: 'UTC',
      ...(options.role === undefined ? {} : { role: options.role }),
      ...(options.readOnly ? { default_transaction_read_only: true } : {}),
      ...(options.statementTimeoutMs === undefined ? {} : { statement_timeout: options.statementTimeoutMs }),
    },
    // bigint counts arrive as strings by default; keep them exact and let callers convert.
    onnotice: () => {},
    backoff: reconnectDelaySeconds,
    types: options.int8 === 'number' ? { int8: { to: 20, from: [20], serialize: String, parse: Number } } : {},
  }) as Sql
}

// postgres.js waits 0.5–1 × min(3^n / 100, 20) s before a connection's next attempt after n
// failed ones, n counted for the whole pool and reset only when a connection succeeds: a few
// seconds of outage under load push every reconnect 10–20 s out, and the queries queued meanwhile
// (a batch of writes, a readiness probe) wait that long after the server is back. A connection
// retries only for a query waiting on it, so a short cap costs a refused attempt or two a second.
function reconnectDelaySeconds(failedAttempts: number): number {
  return Math.min(0.02 * 2 ** failedAttempts, 0.5) * (0.5 + Math.random() / 2)
}

/** The same server's URL with another database name. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${database}`
  return url.toString()
}

// SQLSTATE classes that say nothing about the row: connection exception (08), insufficient
// resources (53), operator intervention such as a terminated backend (57), invalid catalog
// name i.e. the database was dropped (3D), and a read-only server (25006).
const UNAVAILABLE_CLASSES = ['08', '53', '57', '3D']
const UNAVAILABLE_CODES = new Set([
  '25006',
  // postgres.js and Node socket errors
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
])

/** True when a query failed for want of a database, which says nothing about the query itself. */
export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return false
  return UNAVAILABLE_CODES.has(code) || (code.length === 5 && UNAVAILABLE_CLASSES.includes(code.slice(0, 2)))
}
