// Jepsen-style bookkeeping. Every operation carries a tag of its own, stored with its row
// (a click's sub2, a conversion's txn_id), so that rows can be counted per operation even when
// the service mints the key. Afterwards: every acknowledged operation is stored exactly once,
// no refused one is stored, unknown ones may go either way, and the rollups equal the raw rows.
import type { Sql } from '@affiliate/shared/db'
import { openDb } from '../../services/reporting/src/db.ts'
import { findClickDrift, findConversionDrift } from '../../services/reporting/src/queries/rollup-drift.ts'
import type { Attempt, Outcome } from './client.ts'

export interface Operation {
  tag: string
  kind: 'click' | 'postback'
  path: string
  /** Sent again after an unknown outcome: only when the request carries its own key. */
  retry: boolean
}

export interface Verdict {
  operations: number
  requests: number
  acknowledged: number
  refused: number
  unknown: number
  stored: number
  /** Acknowledged and not stored. */
  lost: number
  /** Stored more than once. */
  doubled: number
  /** Refused (every attempt a definite 4xx) and stored all the same. */
  stored_on_refusal: number
  /** Postbacks answered as newly tracked more than once (a replay must say "duplicate"). */
  tracked_twice: number
  /** Rows the rollups get wrong (migrations/040's rule against click/conversion_stats_hourly). */
  rollup_drift: number
  /** From the request on an open connection to its answer (or error); p99 likewise. */
  max_latency_ms: number
  p99_ms: number
  /** The slowest connection to be accepted (the listen backlog), apart from the latencies above. */
  max_connect_ms: number
}

export class Ledger {
  readonly entries = new Map<string, { operation: Operation; attempts: Attempt[] }>()

  record(operation: Operation, attempt: Attempt) {
    const entry = this.entries.get(operation.tag) ?? { operation, attempts: [] }
    entry.attempts.push(attempt)
    this.entries.set(operation.tag, entry)
  }

  outcome(tag: string): Outcome {
    const attempts = this.entries.get(tag)?.attempts ?? []
    if (attempts.some((a) => a.outcome === 'acknowledged')) return 'acknowledged'
    if (attempts.length > 0 && attempts.every((a) => a.outcome === 'refused')) return 'refused'
    return 'unknown'
  }

  attempts(): Attempt[] {
    return [...this.entries.values()].flatMap((entry) => entry.attempts)
  }

  /** Compares the book with the database's rows (each scenario has a database of its own). */
  async verify(sql: Sql, url: string): Promise<Verdict> {
    const rows = await sql<{ tag: string; n: number }[]>`
      select sub2 as tag, count(*)::int as n from clicks where sub2 is not null group by sub2
      union all
      select txn_id, count(*)::int from conversions where txn_id <> '' group by txn_id`
    const stored = new Map(rows.map((row) => [row.tag, row.n]))
    const tally = {
      acknowledged: 0,
      refused: 0,
      unknown: 0,
      stored: 0,
      lost: 0,
      doubled: 0,
      stored_on_refusal: 0,
      tracked_twice: 0,
    }
    for (const [tag, { operation, attempts }] of this.entries) {
      const outcome = this.outcome(tag)
      const n = stored.get(tag) ?? 0
      tally[outcome]++
      if (n > 0) tally.stored++
      if (n > 1) tally.doubled++
      if (outcome === 'acknowledged' && n === 0) tally.lost++
      if (outcome === 'refused' && n > 0) tally.stored_on_refusal++
      const tracked = attempts.filter((a) => a.status === 200 && !a.body?.includes('"duplicate":true')).length
      if (operation.kind === 'postback' && tracked > 1) tally.tracked_twice++
    }
    const all = this.attempts()
    const latencies = all.map((a) => a.ms - (a.connectMs ?? 0)).sort((a, b) => a - b)
    return {
      operations: this.entries.size,
      requests: all.length,
      ...tally,
      rollup_drift: await rollupDrift(url),
      max_latency_ms: Math.round(latencies.at(-1) ?? 0),
      p99_ms: Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0),
      max_connect_ms: Math.round(Math.max(0, ...all.map((a) => a.connectMs ?? 0))),
    }
  }
}

const EVER = { from: new Date('2000-01-01T00:00:00Z'), to: new Date('2100-01-01T00:00:00Z') }

/** Rollup cells that differ from the raw rows, by the rule `pnpm reconcile` checks. */
async function rollupDrift(url: string): Promise<number> {
  const { db, close } = await openDb(url, { max: 1, readOnly: false })
  try {
    const clicks = await findClickDrift(db, EVER)
    const conversions = await findConversionDrift(db, EVER)
    return [...clicks, ...conversions].reduce((sum, drift) => sum + drift.cells, 0)
  } finally {
    await close()
  }
}
