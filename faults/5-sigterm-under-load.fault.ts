// Scenario 5: SIGTERM under load. Ingest stops accepting, answers what it is working on once
// its write is committed, and exits 0. A request still in the network when the listener
// closes may be cut (its client retries it); one that ingest took is answered.
import t from 'tap'
import { createClient } from './harness/client.ts'
import { startIngest } from './harness/ingest.ts'
import { Ledger } from './harness/ledger.ts'
import { mixedOperation, runLoad, settle } from './harness/load.ts'
import { MARGIN, assertLedger, atMost, report } from './harness/report.ts'
import { scenario, sleep } from './harness/scenario.ts'

const WRITE_DEADLINE_MS = 2_000
const SHUTDOWN_MS = 2_000

t.test('SIGTERM under load: in-flight writes committed and answered before exit, exit 0', async (t) => {
  const { url, sql, toConvert } = await scenario(t)
  const ingest = await startIngest(t, url)
  const client = createClient(ingest.url, { connections: 50 })
  t.teardown(() => client.close())
  const ledger = new Ledger()
  let stopped = false
  const load = runLoad({ client, ledger, workers: 50, next: mixedOperation('term', toConvert), stopped: () => stopped })

  await sleep(3_000)
  const peakRss = ingest.peakRssMb()
  const signalledAt = performance.now()
  ingest.child.kill('SIGTERM')
  const exit = await ingest.exited
  stopped = true
  await load
  t.equal(exit.code, 0, 'exit 0')
  t.equal(exit.signal, null)

  const inFlight = ledger.attempts().filter((a) => a.sentAt < signalledAt && a.sentAt + a.ms > signalledAt)
  const answered = inFlight.filter((a) => a.status !== undefined)
  t.ok(answered.length > 0, 'requests in flight at SIGTERM were answered')
  t.same(
    answered.filter((a) => a.status! >= 500 && a.status !== 503),
    [],
    'and none with an error other than 503',
  )

  // The rest is settled by a new process on the same database, as a client's retry would be.
  const next = await startIngest(t, url)
  const retry = createClient(next.url, { connections: 20 })
  t.teardown(() => retry.close())
  const open = await settle(retry, ledger)
  t.equal(open, 0, 'every retried event got a definite answer')
  const verdict = await ledger.verify(sql, url)
  report(
    t,
    '5 SIGTERM under load',
    verdict,
    [
      atMost('max latency', verdict.max_latency_ms, WRITE_DEADLINE_MS, MARGIN.latency),
      atMost('SIGTERM to exit', exit.at - signalledAt, SHUTDOWN_MS, MARGIN.latency),
    ],
    {
      in_flight_at_sigterm: inFlight.length,
      answered_after_sigterm: answered.length,
      answered_statuses: [...new Set(answered.map((a) => a.status))],
      cut: inFlight.length - answered.length,
      peak_rss_mb: Math.round(peakRss),
    },
  )
  assertLedger(t, verdict)
})
