// Scenario 2: kill -9 of PostgreSQL (every process of the server) under load, then a restart:
// while it is down ingest answers fast with 503 and /readyz says 503 not_ready; once it is back
// ingest recovers by itself, without a restart of its own.
import t from 'tap'
import { createClient } from './harness/client.ts'
import { startIngest } from './harness/ingest.ts'
import { Ledger } from './harness/ledger.ts'
import { mixedOperation, runLoad, settle } from './harness/load.ts'
import { kill, restart } from './harness/postgres.ts'
import { MARGIN, assertLedger, atMost, report } from './harness/report.ts'
import { recovery, scenario, sleep } from './harness/scenario.ts'

const WRITE_DEADLINE_MS = 2_000
const READY_DEADLINE_MS = 1_000
const DOWN_MS = 3_000

t.test('kill -9 of PostgreSQL under load: 503 fast while it is down, recovery without a restart', async (t) => {
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
    next: mixedOperation('pgkill', toConvert),
    stopped: () => stopped,
  })

  await sleep(2_000)
  await kill(server)
  const downAt = performance.now()
  let restarted = false
  // Whatever happens below, the next scenarios need the server back.
  t.teardown(() => (restarted ? undefined : restart(server)))
  await sleep(300)
  const ready = await client.send('/readyz')
  await sleep(DOWN_MS - (performance.now() - downAt))
  await restart(server)
  restarted = true
  const upAt = performance.now()
  const recovered = await recovery(client, 'pgkill-recovery')
  await sleep(2_000)
  stopped = true
  await load

  t.equal(ready.status, 503, '/readyz answers 503 while the database is down')
  t.match(ready.body, /"code":"not_ready"/)
  const duringOutage = ledger.attempts().filter((a) => a.sentAt >= downAt && a.sentAt + a.ms <= upAt)
  t.ok(
    duringOutage.some((a) => a.status === 503),
    'ingest answered 503 while the database was down',
  )
  t.same(
    duringOutage.filter((a) => a.outcome === 'acknowledged'),
    [],
    'nothing was acknowledged while the database was down',
  )
  t.not(recovered, undefined, 'ingest recovered once the database was back')
  t.equal(ingest.child.exitCode, null, 'without a restart of its own')

  const open = await settle(client, ledger)
  t.equal(open, 0, 'every retried event got a definite answer after the recovery')
  const verdict = await ledger.verify(sql, url)
  const slowest = Math.max(0, ...duringOutage.map((a) => a.ms))
  report(
    t,
    '2 kill -9 of PostgreSQL',
    verdict,
    [
      atMost('slowest answer while down', slowest, WRITE_DEADLINE_MS, MARGIN.latency),
      atMost('/readyz while down', ready.ms, READY_DEADLINE_MS, MARGIN.latency),
      atMost('recovery after the restart', recovered ?? Number.POSITIVE_INFINITY, 5_000, 6),
    ],
    {
      answers_while_down: duringOutage.length,
      statuses_while_down: countBy(duringOutage.map((a) => a.status ?? a.error ?? '?')),
      peak_rss_mb: Math.round(ingest.peakRssMb()),
    },
  )
  assertLedger(t, verdict)
})

function countBy(values: (string | number)[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1
  return counts
}
