// Scenario 2: kill -9 of PostgreSQL (every process of the server) under load, then a restart:
// while it is down ingest answers fast with 503 and /readyz says 503 not_ready; once it is back
// ingest recovers by itself, without a restart of its own.
import t from 'tap'
import { kill, restart } from './harness/postgres.ts'
import { DEADLINE_MS, MARGIN, atMost, conclude } from './harness/report.ts'
import { recovery, sleep, underLoad } from './harness/scenario.ts'

const DOWN_MS = 3_000
// From the restart's end (PostgreSQL accepts connections) to ingest's recovery: /readyz 200 and a write.
const RECOVERY_MS = 5_000

t.test('kill -9 of PostgreSQL under load: 503 fast while it is down, recovery without a restart', async (t) => {
  const run = await underLoad(t, 'pgkill')
  const { probe, ledger, server, ingest } = run
  await sleep(2_000)
  await kill(server)
  const downAt = performance.now()
  let restarted = false
  // Whatever happens below, the next scenarios need the server back.
  t.teardown(() => (restarted ? undefined : restart(server)))
  await sleep(300)
  const ready = await probe.send('/readyz')
  await sleep(DOWN_MS - (performance.now() - downAt))
  // Down until the restart begins; it accepts connections at some point before restart() resolves.
  const restartAt = performance.now()
  await restart(server)
  restarted = true
  const upAt = performance.now()
  const recovered = await recovery(probe, 'pgkill-recovery')
  await sleep(2_000)
  await run.stop()

  t.equal(ready.status, 503, '/readyz answers 503 while the database is down')
  t.match(ready.body, /"code":"not_ready"/)
  const whileDown = ledger.attempts().filter((a) => a.sentAt >= downAt && a.sentAt + a.ms <= restartAt)
  t.ok(
    whileDown.some((a) => a.status === 503),
    'ingest answered 503 while the database was down',
  )
  t.same(
    whileDown.filter((a) => a.outcome === 'acknowledged'),
    [],
    'and acknowledged nothing',
  )
  t.not(recovered, undefined, 'ingest recovered once the database was back')
  t.equal(ingest.child.exitCode, null, 'without a restart of its own')

  // Writes may recover before /readyz says so: when the first one after the restart was acknowledged.
  const acknowledgedAfter = ledger.attempts().filter((a) => a.outcome === 'acknowledged' && a.sentAt >= upAt)
  const firstWrite = Math.min(...acknowledgedAfter.map((a) => a.sentAt + a.ms)) - upAt
  const statuses: Record<string, number> = {}
  for (const a of whileDown) statuses[a.status ?? a.error ?? '?'] = (statuses[a.status ?? a.error ?? '?'] ?? 0) + 1
  await conclude(
    t,
    run,
    '2 kill -9 of PostgreSQL',
    [
      atMost(
        'slowest answer while down',
        Math.max(0, ...whileDown.map((a) => a.ms)),
        DEADLINE_MS.write,
        MARGIN.latency,
      ),
      atMost('/readyz while down', ready.ms, DEADLINE_MS.ready, MARGIN.latency),
      atMost(
        '/readyz 200 and a click stored after the restart',
        recovered ?? Number.POSITIVE_INFINITY,
        RECOVERY_MS,
        MARGIN.recovery,
      ),
      atMost('first write acknowledged after the restart', firstWrite, RECOVERY_MS, MARGIN.recovery),
    ],
    {
      restart_ms: Math.round(upAt - restartAt),
      answers_while_down: whileDown.length,
      statuses_while_down: statuses,
      peak_rss_mb: Math.round(ingest.peakRssMb()),
    },
  )
})
