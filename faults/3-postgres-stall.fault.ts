// Scenario 3: SIGSTOP of PostgreSQL (postmaster and backends) for 5 s under load. The
// connections stay open and nothing answers: ingest must answer within its write deadline
// (503 unavailable with Retry-After, never a success for an uncommitted row), /readyz must say
// 503 not_ready within its own deadline, and all must work again after SIGCONT.
import t from 'tap'
import { createClient } from './harness/client.ts'
import { startIngest } from './harness/ingest.ts'
import { Ledger } from './harness/ledger.ts'
import { mixedOperation, runLoad, settle } from './harness/load.ts'
import { pause } from './harness/postgres.ts'
import { MARGIN, assertLedger, atMost, report } from './harness/report.ts'
import { recovery, scenario, sleep } from './harness/scenario.ts'

const WRITE_DEADLINE_MS = 2_000
const READY_DEADLINE_MS = 1_000
const STALL_MS = 5_000

t.test('SIGSTOP of PostgreSQL for 5 s: answers within the deadlines, recovery after SIGCONT', async (t) => {
  const { url, sql, server, toConvert } = await scenario(t)
  const ingest = await startIngest(t, url)
  const client = createClient(ingest.url, { connections: 20 })
  t.teardown(() => client.close())
  const ledger = new Ledger()
  let stopped = false
  const load = runLoad({
    client,
    ledger,
    workers: 20,
    next: mixedOperation('stall', toConvert),
    stopped: () => stopped,
  })

  await sleep(2_000)
  const resume = pause(server)
  const stallAt = performance.now()
  t.teardown(resume)
  await sleep(500)
  const ready = client.send('/readyz')
  await sleep(STALL_MS - (performance.now() - stallAt))
  resume()
  const resumedAt = performance.now()
  const probe = await ready
  const recovered = await recovery(client, 'stall-recovery')
  await sleep(2_000)
  stopped = true
  await load

  t.equal(probe.status, 503, '/readyz answers 503 during the stall')
  t.match(probe.body, /"code":"not_ready"/)
  // Answers in the first moments may be of writes committed just before the stop.
  const answeredInStall = ledger
    .attempts()
    .filter((a) => a.sentAt + a.ms > stallAt + 500 && a.sentAt + a.ms < resumedAt)
  t.ok(answeredInStall.length > 0, 'requests were answered during the stall, not held until it ended')
  t.same(
    answeredInStall.filter((a) => a.outcome === 'acknowledged' && a.sentAt > stallAt),
    [],
    'no success for a write sent during the stall',
  )
  const unavailable = answeredInStall.filter((a) => a.status === 503)
  t.ok(unavailable.length > 0, 'writes that could not commit were answered 503')
  t.same(unavailable.filter((a) => a.headers?.['retry-after'] === undefined).length, 0, 'every 503 carries Retry-After')
  t.not(recovered, undefined, 'ingest recovered after SIGCONT')

  const open = await settle(client, ledger)
  t.equal(open, 0, 'every retried event got a definite answer after the stall')
  const verdict = await ledger.verify(sql, url)
  report(
    t,
    '3 SIGSTOP of PostgreSQL for 5 s',
    verdict,
    [
      atMost('max latency', verdict.max_latency_ms, WRITE_DEADLINE_MS, MARGIN.latency),
      atMost('/readyz in the stall', probe.ms, READY_DEADLINE_MS, MARGIN.latency),
    ],
    {
      answered_in_stall: answeredInStall.length,
      answered_503_in_stall: unavailable.length,
      recovery_ms: recovered === undefined ? null : Math.round(recovered),
      peak_rss_mb: Math.round(ingest.peakRssMb()),
    },
  )
  assertLedger(t, verdict)
})
