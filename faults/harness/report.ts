// What each scenario prints and asserts. Hard failures: a lost or doubled event, a row stored
// on refusal, a false success, no recovery, or a bound missed by a wide margin (an answer later
// than 5× its deadline, RSS over 2× its target). The tight targets are printed next to the
// figures ("met"/"MISSED") and tracked in docs/reliability.md: these machines are noisy.
import { appendFileSync } from 'node:fs'
import type { Sql } from '@affiliate/shared/db'
import type { Test } from 'tap'
import type { Client } from './client.ts'
import type { Ledger, Verdict } from './ledger.ts'
import { settle } from './load.ts'

/**
 * How far past a target a figure may go before the scenario fails. Recovery after PostgreSQL's
 * restart (target 5 s) fails at 10 s: postgres.js's default reconnect backoff took 10–13 s.
 */
export const MARGIN = { latency: 5, rss: 2, recovery: 2 } as const

/** The service's deadlines, at their defaults (WRITE_TIMEOUT_MS, READY_TIMEOUT_MS) and SIGTERM's bound. */
export const DEADLINE_MS = { write: 2_000, ready: 1_000, shutdown: 2_000 } as const

export interface Target {
  name: string
  value: number
  /** The tight target (printed), and the bound that fails the run (asserted). */
  target: number
  fails: number
  unit: string
}

/** A figure that must stay at or under `target` and fails beyond `target × margin`. */
export const atMost = (name: string, value: number, target: number, margin: number, unit = 'ms'): Target => ({
  name,
  value: Math.round(value),
  target,
  fails: target * margin,
  unit,
})

/** Asserts the bookkeeping: nothing lost, doubled, stored on refusal or tracked twice; rollups exact. */
function assertLedger(t: Test, verdict: Verdict) {
  t.equal(verdict.lost, 0, 'every acknowledged event is stored')
  t.equal(verdict.doubled, 0, 'no event is stored twice')
  t.equal(verdict.stored_on_refusal, 0, 'no refused event is stored')
  t.equal(verdict.tracked_twice, 0, 'a retried postback is answered as a replay')
  t.equal(verdict.rollup_drift, 0, 'the rollups equal the raw rows')
}

/** Prints the figures and targets, asserts the wide bounds, and hands the figures to the runner. */
function report(t: Test, scenario: string, verdict: Verdict, targets: Target[], extra: Record<string, unknown> = {}) {
  const figures = { scenario, ...verdict, ...extra }
  t.comment(
    `${scenario}: ${verdict.requests} requests for ${verdict.operations} events: ${verdict.acknowledged} acknowledged, ` +
      `${verdict.refused} refused, ${verdict.unknown} unknown; ${verdict.stored} stored, ${verdict.lost} lost, ` +
      `${verdict.doubled} doubled; max latency ${verdict.max_latency_ms} ms, p99 ${verdict.p99_ms} ms ` +
      `(slowest connection accepted in ${verdict.max_connect_ms} ms)`,
  )
  for (const [name, value] of Object.entries(extra)) t.comment(`  ${name}: ${JSON.stringify(value)}`)
  for (const target of targets) {
    const met = target.value <= target.target ? 'met' : 'MISSED'
    const bound = Number.isFinite(target.fails) ? `fails over ${target.fails}` : 'tracked'
    t.comment(`  ${target.name}: ${target.value} ${target.unit} (target ≤ ${target.target}: ${met}; ${bound})`)
    if (Number.isFinite(target.fails)) {
      t.ok(
        target.value <= target.fails,
        `${target.name}: ${target.value} ${target.unit}, not past the failing bound ${target.fails}`,
      )
    }
  }
  const file = process.env.FAULTS_RESULTS
  const row = { ...figures, targets: targets.map(({ name, value, target, unit }) => ({ name, value, target, unit })) }
  if (file) appendFileSync(file, `${JSON.stringify(row)}\n`)
}

/** Every answer against the write deadline: the run fails on one 5× later. */
const maxLatency = (verdict: Verdict) => [
  atMost('max latency', verdict.max_latency_ms, DEADLINE_MS.write, MARGIN.latency),
]

/**
 * The end of every scenario: retries what is still unknown through `client` until it is
 * definite, compares the book with the rows, prints the figures (the latency ones from
 * `latency`, then `targets`) and asserts them.
 */
export async function conclude(
  t: Test,
  run: { client: Client; ledger: Ledger; sql: Sql; url: string },
  scenario: string,
  targets: Target[] = [],
  extra: Record<string, unknown> = {},
  latency: (verdict: Verdict) => Target[] = maxLatency,
) {
  const open = await settle(run.client, run.ledger)
  t.equal(open, 0, 'every retried event got a definite answer in the end')
  const verdict = await run.ledger.verify(run.sql, run.url)
  report(t, scenario, verdict, [...latency(verdict), ...targets], extra)
  assertLedger(t, verdict)
  return verdict
}
