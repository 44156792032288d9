// Scenario 6: overload, 2,000 connections on this 2-core machine. Targets: the process stays
// up, peak RSS ≤ 300 MB, and either the requests it accepts keep p99 ≤ 1 s or it sheds load
// (503 overloaded with Retry-After) rather than queueing without bound.
import t from 'tap'
import { createClient } from './harness/client.ts'
import { startIngest } from './harness/ingest.ts'
import { Ledger } from './harness/ledger.ts'
import { mixedOperation, runLoad, settle } from './harness/load.ts'
import { MARGIN, assertLedger, atMost, report } from './harness/report.ts'
import { scenario, sleep } from './harness/scenario.ts'

const CONNECTIONS = 2_000
const LOAD_MS = 10_000
const WRITE_DEADLINE_MS = 2_000
const ACCEPTED_P99_MS = 1_000
const RSS_MB = 300

t.test('overload at 2,000 connections: stays up, bounded memory, accepted p99 bounded or load shed', async (t) => {
  const { url, sql, toConvert } = await scenario(t)
  const ingest = await startIngest(t, url)
  const client = createClient(ingest.url, { connections: CONNECTIONS, timeoutMs: 20_000 })
  t.teardown(() => client.close())
  const ledger = new Ledger()
  let stopped = false
  const load = runLoad({
    client,
    ledger,
    workers: CONNECTIONS,
    next: mixedOperation('over', toConvert),
    stopped: () => stopped,
  })
  await sleep(LOAD_MS)
  stopped = true
  await load
  const peakRss = ingest.peakRssMb()
  client.close()
  t.equal(ingest.child.exitCode, null, 'ingest stayed up')
  await sleep(5_000)
  const rssAfter = ingest.rssMb()

  const attempts = ledger.attempts()
  const accepted = attempts
    .filter((a) => a.outcome === 'acknowledged')
    .map((a) => a.ms)
    .sort((a, b) => a - b)
  const acceptedP99 = accepted[Math.floor(accepted.length * 0.99)] ?? 0
  const shed = attempts.filter((a) => a.status === 503 && a.body?.includes('"code":"overloaded"'))
  t.same(
    shed.filter((a) => a.headers?.['retry-after'] === undefined).length,
    0,
    'every 503 overloaded carries Retry-After',
  )
  // The tight target is "p99 ≤ 1 s or shed"; it fails when neither holds by a wide margin.
  t.ok(
    shed.length > 0 || acceptedP99 <= ACCEPTED_P99_MS * MARGIN.latency,
    'it sheds load, or the requests it accepts stay fast',
  )

  const calm = createClient(ingest.url, { connections: 20 })
  t.teardown(() => calm.close())
  const open = await settle(calm, ledger)
  t.equal(open, 0, 'every retried event got a definite answer after the overload')
  const verdict = await ledger.verify(sql, url)
  report(
    t,
    '6 overload, 2,000 connections',
    verdict,
    [
      atMost('max latency', verdict.max_latency_ms, WRITE_DEADLINE_MS, MARGIN.latency),
      atMost('accepted p99', acceptedP99, ACCEPTED_P99_MS, Number.POSITIVE_INFINITY),
      atMost('peak RSS', peakRss, RSS_MB, MARGIN.rss, 'MB'),
    ],
    {
      shed: shed.length,
      requests_per_second: Math.round(attempts.length / (LOAD_MS / 1000)),
      rss_5s_after_mb: Math.round(rssAfter),
      peak_rss_mb: Math.round(peakRss),
    },
  )
  assertLedger(t, verdict)
})
