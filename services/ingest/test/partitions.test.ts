// Raw data's lifecycle (migration 050, packages/shared/src/partitions.ts): day partitions
// made ahead of time, idempotency across them, retention that drops whole days, and an
// existing database migrated without losing a row.
import { createSql, databaseUrl } from '@affiliate/shared/db'
import { loadTestDatabaseUrl } from '@affiliate/shared/config'
import { migrate } from '@affiliate/shared/migrate'
import {
  DAYS_AHEAD,
  dropExpiredDays,
  droppedBefore,
  ensurePartitions,
  expiredDays,
  listPartitions,
} from '@affiliate/shared/partitions'
import { seedDemo } from '@affiliate/shared/seed'
import { dailyPartitionsSince, insertClicks } from '@affiliate/shared/testing'
import t, { type Test } from 'tap'
import { DEMO_TOKEN, build, concurrently, fromBrowser } from './helper.ts'

const DAY = 86_400_000
const today = () => new Date(Math.floor(Date.now() / DAY) * DAY)
const day = (offset: number) => new Date(today().getTime() + offset * DAY)
const click = (id: string, affiliate = 1, campaign = 1) =>
  fromBrowser(`/click?affiliate_id=${affiliate}&campaign_id=${campaign}&click_id=${id}&sub1=s-${id}`)
const postback = (clickId: string, txn: string, amount = '5') => ({
  method: 'GET' as const,
  url: `/postback?affiliate_id=1&click_id=${clickId}&txn_id=${txn}&amount=${amount}&currency=USD&token=${DEMO_TOKEN}`,
})
const TRACKED = { status: 'success', message: 'Conversion tracked' }

const counts = async (sql: Awaited<ReturnType<typeof build>>['sql'], clickId: string) => {
  const [row] = await sql<{ clicks: number; keys: number; conversions: number }[]>`select
    (select count(*) from clicks where click_id = ${clickId})::int as clicks,
    (select count(*) from click_keys where click_id = ${clickId})::int as keys,
    (select count(*) from conversions where click_id = ${clickId})::int as conversions`
  return row!
}

t.test('a new database is partitioned by day, with partitions ahead of time once ingest starts', async (t) => {
  const { sql } = await build(t)
  const kinds = await sql`select relname, relkind from pg_class where relname in ('clicks', 'conversions') order by 1`
  t.same(kinds.map((r) => [r.relname, r.relkind]), [['clicks', 'p'], ['conversions', 'p']])
  const partitions = await listPartitions(sql)
  for (const table of ['clicks', 'conversions']) {
    const mine = partitions.filter((p) => p.table === table)
    t.same(mine[0]!.from, null, `${table}: the history partition holds everything before the first day`)
    t.ok(mine.at(-1)!.to >= day(DAYS_AHEAD + 1), `${table}: days up to ${DAYS_AHEAD} ahead exist`)
    // Contiguous: every instant from the history partition to the last day has exactly one partition.
    for (let i = 1; i < mine.length; i++) t.same(mine[i]!.from, mine[i - 1]!.to)
  }
  t.same(await ensurePartitions(sql), [], 'a second run creates nothing')
})

t.test('replicas creating partitions at the same moment create each once and none fails', async (t) => {
  const { url } = await build(t)
  const replicas = Array.from({ length: 4 }, () => createSql(url, { max: 1 }))
  t.teardown(() => Promise.all(replicas.map((sql) => sql.end())))
  const created = await Promise.all(replicas.map((sql) => ensurePartitions(sql, { now: day(20) })))
  const names = created.flat()
  t.equal(names.length, new Set(names).size, 'no partition created twice')
  t.ok(names.includes(`clicks_p${day(20).toISOString().slice(0, 10).replaceAll('-', '')}`))
})

t.test('a click_id stays unique across partitions: a replay on another day is a replay', async (t) => {
  const { app, sql } = await build(t)
  // Stored in a later day's partition than today's writes go to.
  await insertClicks(sql, [{ click_id: 'later', affiliate_id: 1, campaign_id: 1, timestamp: day(2), sub1: 'first' }])
  const replay = await app.inject(click('later'))
  t.equal(replay.statusCode, 302)
  t.match(replay.headers.location, /src=first$/, 'answered as the first time, with its stored sub-ids')
  t.same(await counts(sql, 'later'), { clicks: 1, keys: 1, conversions: 0 })
  t.equal((await app.inject(click('later', 2, 2))).statusCode, 409, 'another affiliate: click_conflict')

  // Its conversion goes to the click's day; replays and a second txn_id find it there.
  t.same((await app.inject(postback('later', 't1'))).json(), TRACKED)
  t.same((await app.inject(postback('later', 't1'))).json(), { ...TRACKED, duplicate: true })
  t.equal((await app.inject(postback('later', 't1', '6'))).statusCode, 409, 'same txn_id, other amount')
  t.same((await app.inject(postback('later', 't2'))).json(), TRACKED)
  const [stored] = await sql`select tableoid::regclass::text as partition from conversions where txn_id = 't1'`
  // On Citus the row's table is that partition's shard: its name and the shard's id.
  t.match(stored!.partition, new RegExp(`^conversions_p${day(2).toISOString().slice(0, 10).replaceAll('-', '')}(_[0-9]+)?$`))
  t.same(await counts(sql, 'later'), { clicks: 1, keys: 1, conversions: 2 })
})

t.test('concurrent identical clicks and postbacks store one row each', async (t) => {
  const { app, sql } = await build(t)
  const clicks = await concurrently(30, () => app.inject(click('same')))
  t.same(new Set(clicks.map((r) => r.headers.location)).size, 1)
  const postbacks = await concurrently(30, () => app.inject(postback('same', 'x')))
  t.equal(postbacks.filter((r) => !r.json().duplicate).length, 1)
  t.same(await counts(sql, 'same'), { clicks: 1, keys: 1, conversions: 1 })
})

t.test('a write whose day has no partition creates it and is stored (no DEFAULT partition)', async (t) => {
  const { app, sql } = await build(t)
  // As if upkeep had not run for days: the partitions today's writes go to are missing
  // (in a new database the history ones, in an older shared one today's).
  const now = Date.now()
  const current = (await listPartitions(sql)).filter((p) => (p.from?.getTime() ?? -Infinity) <= now && now < p.to.getTime())
  t.equal(current.length, 2)
  await sql`drop table ${sql(current.map((p) => p.name))}`
  t.equal((await app.inject(click('rescued'))).statusCode, 302)
  t.same((await app.inject(postback('rescued', 'r'))).json(), TRACKED)
  t.same(await counts(sql, 'rescued'), { clicks: 1, keys: 1, conversions: 1 })
})

async function withDays(t: Test, env: Record<string, string> = {}) {
  const testApp = await build(t, { RAW_RETENTION_DAYS: '5', ATTRIBUTION_WINDOW_DAYS: '5', ...env })
  await dailyPartitionsSince(testApp.sql, 10)
  return testApp
}

t.test('retention drops whole days past RAW_RETENTION_DAYS; the rollups and younger days stay', async (t) => {
  const { app, sql } = await withDays(t)
  const old = [8, 7, 6].map((ago) => ({ click_id: `old-${ago}`, affiliate_id: 1, campaign_id: 1, timestamp: day(-ago) }))
  await insertClicks(sql, [...old, { click_id: 'young', affiliate_id: 1, campaign_id: 1, timestamp: day(-2) }])
  await sql`insert into conversions (click_id, amount, currency, affiliate_id, campaign_id, click_timestamp, "timestamp")
    select click_id, 1, 'USD', affiliate_id, campaign_id, "timestamp", "timestamp" + interval '1 hour' from click_keys`
  await sql`insert into click_stats_hourly select * from click_stats_hourly_of()`
  const rollupsBefore = await sql`select * from click_stats_hourly order by hour`

  const expired = await expiredDays(sql, { retentionDays: 5 })
  t.ok(expired.length >= 4, 'the days wholly older than 5 days')
  t.ok(expired.every((d) => d.to.getTime() <= Date.now() - 5 * DAY))
  t.equal((await sql`select count(*)::int as n from clicks`)[0]!.n, 4, 'a dry look drops nothing')

  const dropped = await dropExpiredDays(sql, { retentionDays: 5 })
  t.same(dropped.map((d) => d.to), expired.map((d) => d.to))
  t.equal(dropped.reduce((n, d) => n + d.keysDeleted, 0), 3, "the old clicks' keys went with them")
  t.same((await sql`select click_id from clicks`).map((r) => r.click_id), ['young'])
  t.same((await sql`select click_id from click_keys`).map((r) => r.click_id), ['young'])
  t.same((await sql`select click_id from conversions`).map((r) => r.click_id), ['young'], 'no conversion outlives its click')
  t.same(await sql`select * from click_stats_hourly order by hour`, rollupsBefore, 'rollups are kept forever')
  t.same(await droppedBefore(sql), dropped.at(-1)!.to)
  const names = (await listPartitions(sql)).map((p) => p.name)
  for (const d of dropped) for (const name of d.partitions) t.notOk(names.includes(name), `${name} dropped`)
  t.same(await dropExpiredDays(sql, { retentionDays: 5 }), [], 'nothing left to drop')

  // "A click_id is unique for as long as its click is retained": once dropped, it is a new click.
  t.equal((await app.inject(click('old-8'))).statusCode, 302)
  t.same(await counts(sql, 'old-8'), { clicks: 1, keys: 1, conversions: 0 })
  t.equal((await app.inject(postback('young', 'late'))).statusCode, 200, 'a retained click still converts')
})

t.test('retention with RAW_RETENTION_DAYS=0 keeps everything; one replica drops at a time', async (t) => {
  const { sql, url } = await withDays(t)
  await insertClicks(sql, [{ click_id: 'ancient', affiliate_id: 1, campaign_id: 1, timestamp: day(-9) }])
  t.same(await dropExpiredDays(sql, { retentionDays: 0 }), [])
  t.same(await expiredDays(sql, { retentionDays: 0 }), [])
  const replicas = Array.from({ length: 3 }, () => createSql(url, { max: 1 }))
  t.teardown(() => Promise.all(replicas.map((s) => s.end())))
  const runs = await Promise.all(replicas.map((s) => dropExpiredDays(s, { retentionDays: 5 })))
  const days = runs.flat().map((d) => d.to.toISOString())
  t.equal(days.length, new Set(days).size, 'no day dropped twice')
  t.ok(days.length >= 4)
  t.equal((await sql`select count(*)::int as n from clicks`)[0]!.n, 0)
})

t.test('ingest runs retention itself at start', async (t) => {
  const first = await withDays(t)
  await insertClicks(first.sql, [{ click_id: 'expired', affiliate_id: 1, campaign_id: 1, timestamp: day(-9) }])
  // A second ingest on the same database: its start-up upkeep drops the expired days.
  const second = await build(t, { RAW_RETENTION_DAYS: '5', ATTRIBUTION_WINDOW_DAYS: '5' }, { database: first.url })
  await t.resolves(async () => {
    // Its keys go first, its partitions after them (on Citus a while after).
    const gone = async () => Object.values(await counts(second.sql, 'expired')).every((n) => n === 0)
    for (let i = 0; i < 200 && !(await gone()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  })
  t.same(await counts(second.sql, 'expired'), { clicks: 0, keys: 0, conversions: 0 })
  t.ok(await droppedBefore(second.sql))
})

t.test('an existing database with data ends up partitioned, every row kept, replays still found', async (t) => {
  const server = createSql(loadTestDatabaseUrl(), { max: 1 })
  const name = `upgrade_${process.pid}`
  await server.unsafe(`create database ${name}`)
  const url = databaseUrl(loadTestDatabaseUrl(), name)
  t.teardown(async () => {
    await server.unsafe(`drop database if exists ${name} with (force)`)
    await server.end()
  })
  const sql = createSql(url, { max: 1 })
  await migrate(sql, { target: '040' })
  await seedDemo(sql)
  await sql`insert into clicks (click_id, affiliate_id, campaign_id, "timestamp", sub1)
    select 'pre-' || g, 1, 1, now() - g * interval '1 hour', 'pre' from generate_series(1, 500) g`
  await sql`insert into conversions (click_id, txn_id, amount, currency, affiliate_id, campaign_id)
    select 'pre-' || g, 't', 2, 'USD', 1, 1 from generate_series(1, 500, 5) g`
  await sql`insert into click_stats_hourly select * from click_stats_hourly_of()`
  const before = await sql`select
    (select array_agg(id order by id) from clicks) as clicks, (select array_agg(id order by id) from conversions) as conversions`
  t.same((await migrate(sql)).applied[0], '050.do.partitioned-raw-tables.sql')
  const after = await sql`select
    (select array_agg(id order by id) from clicks) as clicks, (select array_agg(id order by id) from conversions) as conversions,
    (select count(*)::int from click_keys) as keys, (select relkind::text from pg_class where relname = 'clicks') as kind`
  t.same(after[0]!.clicks, before[0]!.clicks, 'every click kept, with its id')
  t.same(after[0]!.conversions, before[0]!.conversions, 'every conversion kept, with its id')
  t.equal(after[0]!.keys, 500)
  t.equal(after[0]!.kind, 'p')
  await sql.end()

  const { app, sql: appSql } = await build(t, {}, { database: url })
  t.equal((await app.inject(click('pre-3'))).statusCode, 302)
  t.same(await counts(appSql, 'pre-3'), { clicks: 1, keys: 1, conversions: 0 }, 'an old click_id is a replay')
  t.same((await app.inject(postback('pre-1', 't', '2'))).json(), { ...TRACKED, duplicate: true }, 'an old conversion too')
  t.same((await app.inject(postback('pre-2', 't'))).json(), TRACKED, 'an old click converts')
  const [ids] = await appSql`select max(id)::int as clicks from clicks`
  t.equal((await app.inject(click('post-1'))).statusCode, 302)
  const [next] = await appSql`select id::int from clicks where click_id = 'post-1'`
  t.ok(next!.id > ids!.clicks, 'new ids continue after the old ones')
})

t.test('a day detached by a run that stopped before dropping it is dropped by the next run', async (t) => {
  const { sql } = await withDays(t)
  const name = `clicks_p${day(-8).toISOString().slice(0, 10).replaceAll('-', '')}`
  await sql`alter table clicks detach partition ${sql(name)}`
  await dropExpiredDays(sql, { retentionDays: 5 })
  t.same(await sql`select relname from pg_class where relname = ${name}`, [], 'the leftover table is gone')
  t.notOk((await listPartitions(sql)).some((p) => p.to.getTime() <= Date.now() - 5 * DAY), 'and every expired day')
})
