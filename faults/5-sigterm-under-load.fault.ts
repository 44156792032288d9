// Scenario 5: SIGTERM under load. Ingest stops accepting, answers what it is working on once
// its write is committed, and exits 0. A request still in the network when the listener
// closes may be cut (its client retries it); one that ingest took is answered.
import t from 'tap'
import { createClient } from './harness/client.ts'
import { startIngest } from './harness/ingest.ts'
import { DEADLINE_MS, MARGIN, atMost, conclude } from './harness/report.ts'
import { sleep, underLoad } from './harness/scenario.ts'

t.test('SIGTERM under load: in-flight writes committed and answered before exit, exit 0', async (t) => {
  const run = await underLoad(t, 'sigterm', { workers: 50 })
  const { ledger, ingest } = run
  await sleep(3_000)
  const peakRss = ingest.peakRssMb()
  const signalledAt = performance.now()
  ingest.child.kill('SIGTERM')
  const exit = await ingest.exited
  await run.stop()
  t.equal(exit.code, 0, 'exit 0')
  t.equal(exit.signal, null)

  const inFlight = ledger.attempts().filter((a) => a.sentAt < signalledAt && a.sentAt + a.ms > signalledAt)
  const answered = inFlight.filter((a) => a.status !== undefined)
  t.ok(answered.length > 0, 'requests in flight at SIGTERM were answered')
  t.same(
    answered.filter((a) => a.status! >= 500 && a.status !== 503),
    [],
    'none with an error but 503',
  )

  // What is left unknown is settled by a new process on the same database, as a client's retry would be.
  const next = await startIngest(t, run.url)
  const client = createClient(next.url, { connections: 20 })
  t.teardown(() => client.close())
  await conclude(
    t,
    { ...run, client },
    '5 SIGTERM under load',
    [atMost('SIGTERM to exit', exit.at - signalledAt, DEADLINE_MS.shutdown, MARGIN.latency)],
    {
      in_flight_at_sigterm: inFlight.length,
      answered_after_sigterm: answered.length,
      answered_statuses: [...new Set(answered.map((a) => a.status))],
      cut: inFlight.length - answered.length,
      peak_rss_mb: Math.round(peakRss),
    },
  )
})
