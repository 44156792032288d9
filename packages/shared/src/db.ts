// One way to open a postgres.js handle, so that every process agrees on types and time zone.
import postgres from 'postgres'

export type Sql = postgres.Sql

export interface SqlOptions {
  max?: number
  /** Application name shown in pg_stat_activity. */
  name?: string
}

export function createSql(url: string, options: SqlOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    // Hours and days are UTC everywhere: rollup buckets, date_trunc and reports agree.
    connection: { application_name: options.name ?? 'affiliate', TimeZone: 'UTC' },
    // bigint counts arrive as strings by default; keep them exact and let callers convert.
    onnotice: () => {},
  })
}

/** The same server's URL with another database name. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${database}`
  return url.toString()
}
