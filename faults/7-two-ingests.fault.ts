// Scenario 7: two ingest processes on one database, the identical click or postback sent to
// both at the same moment: exactly one row each, both answered as the first time (the same
// redirect), and of two identical postbacks exactly one tracked and the other a replay.
import t from 'tap'
import { type Attempt, createClient } from './harness/client.ts'
import { startIngest } from './harness/ingest.ts'
import { Ledger, type Operation } from './harness/ledger.ts'
import { conclude } from './harness/report.ts'
import { scenario } from './harness/scenario.ts'

const PAIRS = 1_500
const AT_ONCE = 20

t.test('two ingests, identical requests to both at once: one row each, replays answered as replays', async (t) => {
  const { url, sql, toConvert } = await scenario(t, { convertible: PAIRS })
  const [a, b] = await Promise.all([startIngest(t, url), startIngest(t, url)])
  const clients = [createClient(a.url, { connections: AT_ONCE }), createClient(b.url, { connections: AT_ONCE })]
  t.teardown(() => clients.forEach((c) => c.close()))
  const ledger = new Ledger()
  const operation = (i: number): Operation => {
    const tag = `twin-${i}`
    return i % 2 === 0
      ? {
          tag,
          kind: 'click',
          path: `/click?affiliate_id=1&campaign_id=1&click_id=${tag}&sub1=s${i}&sub2=${tag}`,
          retry: true,
        }
      : {
          tag,
          kind: 'postback',
          path: `/postback?affiliate_id=3&click_id=${toConvert[i]}&amount=2.25&currency=EUR&txn_id=${tag}&token=demo-token-3`,
          retry: true,
        }
  }
  const pairs: { operation: Operation; answers: Attempt[] }[] = []
  for (let i = 0; i < PAIRS; i += AT_ONCE) {
    const batch = Array.from({ length: Math.min(AT_ONCE, PAIRS - i) }, (_, j) => operation(i + j))
    await Promise.all(
      batch.map(async (op) => {
        const answers = await Promise.all(clients.map((client) => client.send(op.path)))
        for (const answer of answers) ledger.record(op, answer)
        pairs.push({ operation: op, answers })
      }),
    )
  }
  const both = pairs.filter((p) => p.answers.every((answer) => answer.outcome === 'acknowledged'))
  const clickPairs = both.filter((p) => p.operation.kind === 'click')
  const postbackPairs = both.filter((p) => p.operation.kind === 'postback')
  const differentRedirect = clickPairs.filter(
    (p) => p.answers[0]!.headers?.location !== p.answers[1]!.headers?.location,
  )
  const oneReplay = postbackPairs.filter(
    (p) => p.answers.filter((answer) => answer.body?.includes('"duplicate":true')).length === 1,
  )
  t.same(
    differentRedirect.map((p) => p.operation.tag),
    [],
    'both processes redirect the same click to the same URL',
  )
  t.equal(
    oneReplay.length,
    postbackPairs.length,
    'of two identical postbacks one is tracked, the other answered as a replay',
  )

  await conclude(t, { client: clients[0]!, ledger, sql, url }, '7 two ingest processes, one database', [], {
    pairs: PAIRS,
    pairs_both_acknowledged: both.length,
    postback_pairs_one_replay: `${oneReplay.length} of ${postbackPairs.length}`,
    peak_rss_mb: Math.round(Math.max(a.peakRssMb(), b.peakRssMb())),
  })
})
