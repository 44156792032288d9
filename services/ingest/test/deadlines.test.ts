// A request never waits without bound: a write that does not commit in WRITE_TIMEOUT_MS is a
// 503 (and never a success), writes beyond MAX_PENDING_WRITES, requests beyond MAX_IN_FLIGHT and
// requests under event-loop or heap pressure are shed at once, all in the one error shape with Retry-After.
import { createSql } from '@affiliate/shared/db'
import { insertClicks, lockTable as holdLock } from '@affiliate/shared/testing'
import t, { type Test } from 'tap'
import { DEMO_TOKEN, build, endPool, fromBrowser } from './helper.ts'

const click = (id: string) => fromBrowser(`/click?affiliate_id=1&campaign_id=1&click_id=${id}`)
const OVERLOADED = {
  status: 'error',
  code: 'overloaded',
  message: 'The service is overloaded and did nothing with this request; retry shortly',
}
const postback = (txn: string) =>
  `/postback?affiliate_id=1&click_id=c1&amount=5&currency=USD&txn_id=${txn}&token=${DEMO_TOKEN}`

/** Holds an exclusive lock on `table` (writes to it wait) until the returned release is called. */
async function lockTable(t: Test, url: string, table: 'clicks' | 'conversions') {
  const sql = createSql(url, { max: 2, name: 'test-lock' })
  t.teardown(() => endPool(sql))
  const release = await holdLock(t, sql, table)
  /** Resolves once `count` of the service's sessions wait on the lock. */
  const waiting = async (count = 1) => {
    await until(async () => {
      const [row] = await sql`
        select count(*)::int as n from pg_stat_activity where application_name = 'ingest' and wait_event_type = 'Lock'`
      return row!.n >= count
    })
  }
  return { release, waiting, sql }
}

/** Polls until `check` holds; fails the test after 20 s instead of hanging. */
async function until(check: () => Promise<boolean>) {
  for (let tries = 0; !(await check()); tries++) {
    if (tries === 1000) throw new Error('the condition never held')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

// Long enough for a write that is not held to commit on a loaded machine (the retries below).
const WRITE_TIMEOUT = '1500'

const TIMED_OUT = {
  status: 'error',
  code: 'unavailable',
  message:
    'Storage did not confirm the write in time and it may still be stored; retry with the same click_id or txn_id',
}

t.test('a click not committed within WRITE_TIMEOUT_MS is a 503; its retry after the commit is the replay', async (t) => {
  const { app, sql, url } = await build(t, { WRITE_TIMEOUT_MS: WRITE_TIMEOUT })
  const lock = await lockTable(t, url, 'clicks')
  const late = app.inject(click('late'))
  await lock.waiting()
  // Queued behind the write that waits: dropped at its deadline, never written.
  const queued = app.inject(click('queued'))
  for (const res of [await late, await queued]) {
    t.equal(res.statusCode, 503)
    t.equal(res.headers['retry-after'], '1')
    t.same(res.json(), TIMED_OUT)
  }
  await lock.release()
  // The write that was in flight commits once the lock is gone.
  await until(async () => (await sql`select 1 from clicks where click_id = 'late'`).length === 1)
  const retry = await app.inject(click('late'))
  t.equal(retry.statusCode, 302, 'the retry is answered as the first time')
  t.same(
    (await sql`select click_id from clicks order by click_id`).map((r) => r.click_id),
    ['late'],
    'stored once; the queued click was never written',
  )
})

t.test('a postback not committed within WRITE_TIMEOUT_MS is a 503; its retry is a duplicate', async (t) => {
  const { app, sql, url } = await build(t, { WRITE_TIMEOUT_MS: WRITE_TIMEOUT })
  await insertClicks(sql, [{ click_id: 'c1', affiliate_id: 1, campaign_id: 1 }])
  const lock = await lockTable(t, url, 'conversions')
  const late = await app.inject(postback('late'))
  t.equal(late.statusCode, 503)
  t.equal(late.headers['retry-after'], '1')
  t.same(late.json(), TIMED_OUT)
  await lock.release()
  await until(async () => (await sql`select 1 from conversions where txn_id = 'late'`).length === 1)
  const retry = await app.inject(postback('late'))
  t.equal(retry.statusCode, 200)
  t.same(retry.json(), { status: 'success', message: 'Conversion tracked', duplicate: true })
})

t.test('beyond MAX_PENDING_WRITES a click is refused at once with 503 overloaded', async (t) => {
  const { app, url } = await build(t, { MAX_PENDING_WRITES: '1', WRITE_TIMEOUT_MS: '60000' })
  const lock = await lockTable(t, url, 'clicks')
  const writing = app.inject(click('w1'))
  await lock.waiting()
  const refused = await app.inject(click('w2'))
  t.equal(refused.statusCode, 503)
  t.equal(refused.headers['retry-after'], '1')
  t.same(refused.json(), OVERLOADED)
  await lock.release()
  t.equal((await writing).statusCode, 302, 'the click accepted is stored and answered')
  t.equal((await app.inject(click('w3'))).statusCode, 302, 'room again once it commits')
  const metrics = (await app.inject('/metrics')).body
  t.match(metrics, /ingest_rejections_total\{route="\/click",code="overloaded",service="ingest"\} 1/, 'counted by code')
})

t.test('beyond MAX_IN_FLIGHT requests being handled, one more is shed at once with 503 overloaded', async (t) => {
  const { app, url, sql } = await build(t, { MAX_IN_FLIGHT: '2', WRITE_TIMEOUT_MS: '60000' })
  const lock = await lockTable(t, url, 'clicks')
  const writing = [app.inject(click('f1')), app.inject(click('f2'))]
  await lock.waiting()
  const shed = await app.inject(postback('shed'))
  t.equal(shed.statusCode, 503)
  t.equal(shed.headers['retry-after'], '1')
  t.same(shed.json(), OVERLOADED)
  t.equal((await app.inject('/readyz')).statusCode, 200, 'ops routes are not counted')
  await lock.release()
  t.same((await Promise.all(writing)).map((res) => res.statusCode), [302, 302], 'the two accepted are stored')
  t.equal((await app.inject(click('f3'))).statusCode, 302, 'room again once they are answered')
  t.same(await sql`select 1 from conversions`, [], 'nothing shed was stored')
})

t.test('under heap pressure clicks and postbacks are shed with 503 overloaded; ops routes answer', async (t) => {
  // Any heap is over 1 MB: pressure from the first sample on.
  const { app, sql } = await build(t, { MAX_HEAP_USED_MB: '1' })
  // Probed with HEAD, which stores nothing: every GET below is refused.
  await until(async () => (await app.inject({ ...click('probe'), method: 'HEAD' })).statusCode === 503)
  const shed = await app.inject(click('shed-2'))
  t.equal(shed.headers['retry-after'], '1')
  t.same(shed.json(), OVERLOADED)
  t.equal((await app.inject(postback('shed'))).statusCode, 503)
  t.equal((await app.inject('/healthz')).statusCode, 200)
  t.equal((await app.inject('/readyz')).statusCode, 200)
  const metrics = (await app.inject('/metrics')).body
  t.match(metrics, /ingest_rejections_total\{route="\/postback",code="overloaded",service="ingest"\} 1/)
  t.same(await sql`select 1 from clicks`, [], 'nothing shed was stored')
})
