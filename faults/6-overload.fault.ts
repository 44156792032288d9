// Scenario 6: overload, 2,000 connections on this 2-core machine. Targets: the process stays
// up, peak RSS ≤ 300 MB, and either the requests it accepts keep p99 ≤ 1 s or it sheds load
// (503 overloaded with Retry-After) rather than queueing without bound.
import t from 'tap'
import { createClient } from './harness/client.ts'
import { inProcessP99Ms } from './harness/ingest.ts'
import { DEADLINE_MS, MARGIN, atMost, conclude } from './harness/report.ts'
import { sleep, underLoad } from './harness/scenario.ts'

const CONNECTIONS = 2_000
const LOAD_MS = 10_000
const ACCEPTED_P99_MS = 1_000
const RSS_MB = 300

t.test('overload at 2,000 connections: stays up, bounded memory, accepted p99 bounded or load shed', async (t) => {
  const run = await underLoad(t, 'over', { workers: CONNECTIONS, timeoutMs: 20_000 })
  const { ledger, ingest } = run
  await sleep(LOAD_MS)
  await run.stop()
  const peakRss = ingest.peakRssMb()
  run.client.close()
  t.equal(ingest.child.exitCode, null, 'ingest stayed up')
  await sleep(5_000)
  const rssAfter = ingest.rssMb()

  const attempts = ledger.attempts()
  // Latency on an open connection: the time to get one (the listen backlog) is the verdict's max_connect_ms.
  const accepted = attempts.filter((a) => a.outcome === 'acknowledged').map((a) => a.ms - (a.connectMs ?? 0))
  const acceptedP99 = accepted.sort((a, b) => a - b)[Math.floor(accepted.length * 0.99)] ?? 0
  // Per second of the run: whether the slow answers are the first burst of 2,000 or the steady state.
  const start = Math.min(...attempts.map((a) => a.sentAt))
  const bySecond: Record<string, number> = {}
  for (let second = 0; second * 1000 < LOAD_MS; second++) {
    const these = attempts
      .filter((a) => a.outcome === 'acknowledged' && Math.floor((a.sentAt - start) / 1000) === second)
      .map((a) => a.ms - (a.connectMs ?? 0))
      .sort((a, b) => a - b)
    bySecond[second] = Math.round(these[Math.floor(these.length * 0.99)] ?? 0)
  }
  const shed = attempts.filter((a) => a.status === 503 && a.body?.includes('"code":"overloaded"'))
  const shedP99 = shed.map((a) => a.ms - (a.connectMs ?? 0)).sort((a, b) => a - b)[Math.floor(shed.length * 0.99)] ?? 0
  t.equal(
    shed.filter((a) => a.headers?.['retry-after'] === undefined).length,
    0,
    'every 503 overloaded has Retry-After',
  )
  // The tight target is "p99 ≤ 1 s or shed"; the run fails when neither holds by a wide margin.
  t.ok(
    shed.length > 0 || acceptedP99 <= ACCEPTED_P99_MS * MARGIN.latency,
    'it sheds load, or what it accepts stays fast',
  )

  // Read before the calm client's retries add their quick answers to the histogram.
  const inProcessP99 = await inProcessP99Ms(ingest)
  const calm = createClient(ingest.url, { connections: 20 })
  t.teardown(() => calm.close())
  await conclude(
    t,
    { ...run, client: calm },
    '6 overload, 2,000 connections',
    [
      atMost('accepted p99', acceptedP99, ACCEPTED_P99_MS, Number.POSITIVE_INFINITY),
      atMost('peak RSS', peakRss, RSS_MB, MARGIN.rss, 'MB'),
    ],
    {
      shed: shed.length,
      shed_p99_ms: Math.round(shedP99),
      // From the first byte ingest read to its answer: the rest of a client's latency is spent before ingest reads the request.
      in_process_p99_ms_at_most: inProcessP99,
      accepted_p99_ms_by_second: bySecond,
      requests_per_second: Math.round(attempts.length / (LOAD_MS / 1000)),
      rss_5s_after_mb: Math.round(rssAfter),
      peak_rss_mb: Math.round(peakRss),
    },
    // Under overload a few answers lag far behind on this shared machine (the generator's own
    // event loop among them): the run fails on the p99 of all answers, the maximum is tracked.
    (verdict) => [
      atMost('p99 of all answers', verdict.p99_ms, DEADLINE_MS.write, MARGIN.latency),
      atMost('max latency', verdict.max_latency_ms, DEADLINE_MS.write, Number.POSITIVE_INFINITY),
    ],
  )
})
