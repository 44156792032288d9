// The ingest service's connection pool, and how to tell "the database is unreachable"
// from "this row was refused" when a write fails.
import { createSql, type Sql } from '@affiliate/shared/db'

export { isUnavailable } from '@affiliate/shared/db'
export type { Sql }

// Two writers with FLUSH_SLOTS writes each, their follow-up lookups, cache refreshes and
// readiness probes. More connections than that only add contention on 2 cores.
export const POOL_SIZE = 8

/** How long closing the pool waits for its connections to finish (see server.ts). */
export const POOL_END_SECONDS = 0.5

export function openSql(url: string): Sql {
  return createSql(url, { max: POOL_SIZE, name: 'ingest' })
}
