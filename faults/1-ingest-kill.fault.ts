// Scenario 1: kill -9 of ingest under a mixed load of clicks and postbacks, twice, each time
// restarted on the same port. Clients retry what they did not hear back about, with the same
// keys: no event may be stored twice, and each retried postback is answered as a replay.
import t from 'tap'
import { startIngest } from './harness/ingest.ts'
import { conclude } from './harness/report.ts'
import { sleep, underLoad } from './harness/scenario.ts'

t.test('kill -9 of ingest under load, restarted: retries with the same keys create no duplicates', async (t) => {
  const run = await underLoad(t, 'kill')
  let ingest = run.ingest
  const restarts: number[] = []
  let peakRss = 0
  for (let round = 1; round <= 2; round++) {
    await sleep(2_500)
    peakRss = Math.max(peakRss, ingest.peakRssMb())
    ingest.child.kill('SIGKILL')
    t.equal((await ingest.exited).signal, 'SIGKILL', `round ${round}: ingest was killed`)
    const start = performance.now()
    ingest = await startIngest(t, run.url, { port: ingest.port })
    restarts.push(Math.round(performance.now() - start))
  }
  await sleep(2_500)
  peakRss = Math.max(peakRss, ingest.peakRssMb())
  await run.stop()

  const verdict = await conclude(t, run, '1 kill -9 of ingest (twice)', [], {
    restart_ms: restarts,
    peak_rss_mb: Math.round(peakRss),
  })
  t.ok(verdict.acknowledged > 0, 'events were acknowledged')
})
