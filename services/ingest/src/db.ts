// The ingest service's connection pool, and how to tell "the database is unreachable"
// from "this row was refused" when a write fails.
import { createSql, type Sql } from '@affiliate/shared/db'

export type { Sql }

// Two writers with FLUSH_SLOTS writes each, their follow-up lookups, cache refreshes and
// readiness probes. More connections than that only add contention on 2 cores.
export const POOL_SIZE = 8

/** How long closing the pool waits for its connections to finish (see server.ts). */
export const POOL_END_SECONDS = 0.5

export function openSql(url: string): Sql {
  return createSql(url, { max: POOL_SIZE, name: 'ingest' })
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

export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return false
  return UNAVAILABLE_CODES.has(code) || (code.length === 5 && UNAVAILABLE_CLASSES.includes(code.slice(0, 2)))
}
