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
    types: options.int8 === 'number' ? { int8: { to: 20, from: [20], serialize: String, parse: Number } } : {},
  }) as Sql
}

/** The same server's URL with another database name. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${database}`
  return url.toString()
}
