// Group commit under failure: one bad row never fails its neighbours, and a batch that
// cannot commit is acknowledged to no one.
import { loadTestDatabaseUrl } from '@affiliate/shared/config'
import { createSql } from '@affiliate/shared/db'
import t from 'tap'
import { createBatcher } from '../src/batcher.ts'
import { isUnavailable } from '../src/db.ts'
import { type NewClick, storeClicks } from '../src/queries/clicks.ts'
import { DEMO_TOKEN, build, concurrently, fromBrowser } from './helper.ts'

const newClick = (click_id: string): NewClick => ({
  click_id,
  affiliate_id: 1,
  campaign_id: 1,
  sub1: null,
  sub2: null,
  sub3: null,
  sub4: null,
  sub5: null,
  is_bot: false,
  ip: '127.0.0.1',
  user_agent: null,
  referer: null,
})

t.test('a poison row in a batch fails alone; its neighbours are stored and acknowledged', async (t) => {
  const { sql } = await build(t)
  // A row the database refuses although it passed validation (a constraint the service does not know).
  await sql`alter table clicks add constraint test_poison check (click_id <> 'poison')`
  const sizes: number[] = []
  const batcher = createBatcher({
    maxBatch: 100,
    slots: 1,
    isUnavailable,
    write: (rows: NewClick[]) => {
      sizes.push(rows.length)
      return storeClicks(sql, rows)
    },
  })
  // Pushed in one turn of the event loop: one batch.
  const ids = ['a', 'b', 'poison', 'c', 'd']
  const results = await Promise.allSettled(ids.map((id) => batcher.push(newClick(id))))
  t.same(sizes, [5, 1, 1, 1, 1, 1], 'the batch failed, then each row was written alone')
  t.same(
    results.map((r) => r.status),
    ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
  )
  t.match((results[2] as PromiseRejectedResult).reason, { code: '23514' })
  t.same(
    (await sql`select click_id from clicks order by click_id`).map((r) => r.click_id),
    ['a', 'b', 'c', 'd'],
  )
  const [stats] = await sql`select clicks::int from click_stats_hourly`
  t.equal(stats!.clicks, 4)
})

t.test('over HTTP, a poison row gets a 500 while concurrent neighbours get their redirect', async (t) => {
  const { app, sql } = await build(t)
  await sql`alter table clicks add constraint test_poison check (click_id <> 'poison')`
  const ids = Array.from({ length: 20 }, (_, i) => (i === 7 ? 'poison' : `n-${i}`))
  const responses = await Promise.all(
    ids.map((id) => app.inject(fromBrowser(`/click?affiliate_id=1&campaign_id=1&click_id=${id}`))),
  )
  responses.forEach((res, i) => {
    if (i === 7) {
      t.equal(res.statusCode, 500)
      t.same(res.json(), { status: 'error', code: 'internal_error', message: 'Internal server error' })
    } else t.equal(res.statusCode, 302)
  })
  const n = (await sql`select count(*)::int as n from clicks`)[0]!.n as number
  t.equal(n, 19)
})

t.test('a batch that cannot commit answers every request 503 and acknowledges none', async (t) => {
  const { app, url, logs } = await build(t, {}, { captureLogs: true })
  await app.inject(fromBrowser('/click?affiliate_id=1&campaign_id=1&click_id=before'))
  const database = new URL(url).pathname.slice(1)
  const admin = createSql(loadTestDatabaseUrl(), { max: 1 })
  t.teardown(() => admin.end())
  // New sessions of this database can no longer write; the service's sessions are cut.
  await admin.unsafe(`alter database ${database} set default_transaction_read_only = on`)
  await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${database}`

  const responses = await concurrently(30, (i) =>
    i % 3 === 0
      ? app.inject(`/postback?affiliate_id=1&click_id=before&amount=1&currency=USD&txn_id=${i}&token=${DEMO_TOKEN}`)
      : app.inject(fromBrowser(`/click?affiliate_id=1&campaign_id=1&click_id=during-${i}`)),
  )
  for (const res of responses) {
    t.equal(res.statusCode, 503)
    t.same(res.json(), {
      status: 'error',
      code: 'unavailable',
      message: 'Storage is unavailable, nothing was stored; retry later',
    })
  }
  // The cause is logged once per failed batch, not once more for every request it turned away.
  const errors = logs.filter((line) => line.includes('"level":50'))
  t.ok(errors.length > 0 && errors.every((line) => line.includes('"msg":"batch write failed"')), 'batch failures logged')
  t.ok(errors.length < responses.length, 'fewer error lines than refused requests')
  await admin.unsafe(`alter database ${database} reset default_transaction_read_only`)
  await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${database}`
  const check = createSql(url, { max: 1 })
  t.teardown(() => check.end())
  t.same(
    (await check`select click_id from clicks`).map((r) => r.click_id),
    ['before'],
  )
  t.same(await check`select 1 from conversions`, [])
  // The pool notices its cut connections as their sockets close; /readyz tells when it has.
  for (let i = 0; i < 50 && (await app.inject('/readyz')).statusCode !== 200; i++) await new Promise(setImmediate)
  t.equal(
    (await app.inject(fromBrowser('/click?affiliate_id=1&campaign_id=1&click_id=after'))).statusCode,
    302,
    'and it recovers',
  )
})

t.test('when the database is gone, clicks and postbacks get 503 unavailable and /readyz is 503', async (t) => {
  const { app, url } = await build(t)
  t.equal((await app.inject('/readyz')).statusCode, 200)
  const admin = createSql(loadTestDatabaseUrl(), { max: 1 })
  t.teardown(() => admin.end())
  await admin.unsafe(`drop database ${new URL(url).pathname.slice(1)} with (force)`)

  const click = await app.inject(fromBrowser('/click?affiliate_id=1&campaign_id=1&click_id=lost'))
  t.equal(click.statusCode, 503)
  t.equal(click.json().code, 'unavailable')
  const postback = await app.inject(`/postback?affiliate_id=1&click_id=lost&amount=1&currency=USD&token=${DEMO_TOKEN}`)
  t.equal(postback.statusCode, 503)
  t.equal(postback.json().code, 'unavailable')
  const miss = await app.inject(fromBrowser('/click?affiliate_id=1&campaign_id=77'))
  t.equal(miss.statusCode, 503, 'a cache miss that cannot read through is 503 too, not 404')
  t.equal((await app.inject('/readyz')).statusCode, 503)
  t.equal((await app.inject('/healthz')).statusCode, 200)
})

t.test('the next batch is written as soon as one commits, before that one is answered', async (t) => {
  const events: string[] = []
  // The first write is held open until the test lets it commit: no timers, no race.
  let firstStarted!: () => void
  const writing = new Promise<void>((resolve) => (firstStarted = resolve))
  let commitFirst!: () => void
  const committed = new Promise<void>((resolve) => (commitFirst = resolve))
  const batcher = createBatcher<string, string>({
    maxBatch: 100,
    slots: 1,
    isUnavailable,
    write: async (rows) => {
      events.push(`write ${rows.join(',')}`)
      if (rows[0] === 'a') {
        firstStarted()
        await committed
      }
      return rows
    },
  })
  const first = batcher.push('a').then(() => events.push('answer a'))
  await writing
  // Queued while the first write is in flight: the next batch.
  const second = batcher.push('b').then(() => events.push('answer b'))
  const third = batcher.push('c').then(() => events.push('answer c'))
  commitFirst()
  await Promise.all([first, second, third])
  t.same(events, ['write a', 'write b,c', 'answer a', 'answer b', 'answer c'])
  await batcher.drain()
})

/** A write held open until the test lets it commit, and a record of what was written. */
function heldStore() {
  const written: string[] = []
  let started!: () => void
  const writing = new Promise<void>((resolve) => (started = resolve))
  let commit!: () => void
  const committed = new Promise<void>((resolve) => (commit = resolve))
  const write = async (rows: string[]) => {
    started()
    await committed
    written.push(...rows)
    return rows
  }
  return { written, writing, commit, write }
}

const TimedOut = () => new Error('timed out')
const Overloaded = () => new Error('overloaded')

t.test('a push not committed by its deadline is rejected: dropped if queued, left to commit if being written', async (t) => {
  const store = heldStore()
  const batcher = createBatcher<string, string>({
    maxBatch: 100,
    slots: 1,
    isUnavailable,
    timeout: { ms: 50, error: TimedOut },
    write: store.write,
  })
  const first = batcher.push('a')
  await store.writing
  const queued = batcher.push('b')
  await t.rejects(first, { message: 'timed out' }, 'the one being written is answered at its deadline')
  await t.rejects(queued, { message: 'timed out' }, 'so is the one queued behind it')
  store.commit()
  await batcher.drain()
  t.same(store.written, ['a'], 'the write in flight committed; the queued one was never written')
  t.equal(await batcher.push('c'), 'c', 'and the next push is written as usual')
})

t.test('beyond its limit a push is refused at once; room frees as writes commit', async (t) => {
  const store = heldStore()
  const batcher = createBatcher<string, string>({
    maxBatch: 100,
    slots: 1,
    isUnavailable,
    limit: { pending: 2, error: Overloaded },
    write: store.write,
  })
  const first = batcher.push('a')
  await store.writing
  const second = batcher.push('b')
  await t.rejects(batcher.push('c'), { message: 'overloaded' }, 'one being written and one queued: full')
  store.commit()
  t.same(await Promise.all([first, second]), ['a', 'b'])
  t.equal(await batcher.push('d'), 'd')
  t.same(store.written, ['a', 'b', 'd'])
})
