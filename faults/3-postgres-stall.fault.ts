// Scenario 3: SIGSTOP of PostgreSQL (postmaster and backends) for 5 s under load. The
// connections stay open and nothing answers: ingest must answer within its write deadline
// (503 unavailable with Retry-After, never a success for an uncommitted row), /readyz must say
// 503 not_ready within its own deadline, and all must work again after SIGCONT.
import t from 'tap'
import { pause } from './harness/postgres.ts'
import { DEADLINE_MS, MARGIN, atMost, conclude } from './harness/report.ts'
import { recovery, sleep, underLoad } from './harness/scenario.ts'

const STALL_MS = 5_000

t.test('SIGSTOP of PostgreSQL for 5 s: answers within the deadlines, recovery after SIGCONT', async (t) => {
  const run = await underLoad(t, 'stall')
  const { probe, ledger, server, ingest } = run
  await sleep(2_000)
  const resume = pause(server)
  const stallAt = performance.now()
  t.teardown(resume)
  await sleep(500)
  const probing = probe.send('/readyz')
  await sleep(STALL_MS - (performance.now() - stallAt))
  resume()
  const resumedAt = performance.now()
  const ready = await probing
  const recovered = await recovery(probe, 'stall-recovery')
  await sleep(2_000)
  await run.stop()

  t.equal(ready.status, 503, '/readyz answers 503 during the stall')
  t.match(ready.body, /"code":"not_ready"/)
  // Answers in the first moments may be of writes committed just before the stop.
  const inStall = ledger.attempts().filter((a) => a.sentAt + a.ms > stallAt + 500 && a.sentAt + a.ms < resumedAt)
  t.ok(inStall.length > 0, 'requests were answered during the stall, not held until it ended')
  const sentInStall = inStall.filter((a) => a.sentAt > stallAt)
  t.same(
    sentInStall.filter((a) => a.outcome === 'acknowledged'),
    [],
    'no success for a write sent during the stall',
  )
  const unavailable = inStall.filter((a) => a.status === 503)
  t.ok(unavailable.length > 0, 'writes that could not commit were answered 503')
  t.equal(unavailable.filter((a) => a.headers?.['retry-after'] === undefined).length, 0, 'every 503 has Retry-After')
  t.not(recovered, undefined, 'ingest recovered after SIGCONT')

  await conclude(
    t,
    run,
    '3 SIGSTOP of PostgreSQL for 5 s',
    [atMost('/readyz in the stall', ready.ms, DEADLINE_MS.ready, MARGIN.latency)],
    {
      answered_in_stall: inStall.length,
      answered_503_in_stall: unavailable.length,
      recovery_ms: recovered === undefined ? null : Math.round(recovered),
      peak_rss_mb: Math.round(ingest.peakRssMb()),
    },
  )
})
