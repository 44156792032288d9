// Scenario 1: kill -9 of ingest under a mixed load of clicks and postbacks, twice, each time
// restarted on the same port. Clients retry what they did not hear back about, with the same
// keys: no event may be stored twice, and each retried postback is answered as a replay.
import t from 'tap'
import { createClient } from './harness/client.ts'
import { startIngest } from './harness/ingest.ts'
import { Ledger } from './harness/ledger.ts'
import { mixedOperation, runLoad, settle } from './harness/load.ts'
import { MARGIN, assertLedger, atMost, report } from './harness/report.ts'
import { scenario, sleep } from './harness/scenario.ts'

const WRITE_DEADLINE_MS = 2_000

t.test('kill -9 of ingest under load, restarted: retries with the same keys create no duplicates', async (t) => {
  const { url, sql, toConvert } = await scenario(t)
  let ingest = await startIngest(t, url)
  const client = createClient(ingest.url, { connections: 20 })
  t.teardown(() => client.close())
  const ledger = new Ledger()
  let stopped = false
  const load = runLoad({ client, ledger, workers: 20, next: mixedOperation('kill', toConvert), stopped: () => stopped })

  const restarts: number[] = []
  let peakRss = 0
  for (let round = 0; round < 2; round++) {
    await sleep(2_500)
    peakRss = Math.max(peakRss, ingest.peakRssMb())
    ingest.child.kill('SIGKILL')
    const killed = await ingest.exited
    t.equal(killed.signal, 'SIGKILL', `round ${round + 1}: ingest was killed`)
    const start = performance.now()
    ingest = await startIngest(t, url, { port: ingest.port })
    restarts.push(Math.round(performance.now() - start))
  }
  await sleep(2_500)
  peakRss = Math.max(peakRss, ingest.peakRssMb())
  stopped = true
  await load
  const open = await settle(client, ledger)
  t.equal(open, 0, 'after the restarts every retried event got a definite answer')

  const verdict = await ledger.verify(sql, url)
  report(
    t,
    '1 kill -9 of ingest (twice)',
    verdict,
    [atMost('max latency', verdict.max_latency_ms, WRITE_DEADLINE_MS, MARGIN.latency)],
    {
      restart_ms: restarts,
      peak_rss_mb: Math.round(peakRss),
    },
  )
  assertLedger(t, verdict)
  t.ok(verdict.acknowledged > 0, 'events were acknowledged')
})
