// pnpm reconcile: finds drift between rollups and raw rows, per affiliate; --fix rebuilds
// the range, also while ingest-like writers keep inserting.
import t from 'tap'
import { openDb } from '../src/db.ts'
import { reconcile } from '../src/drift-report.ts'
import { parseRange } from '../src/range.ts'
import { build, insertFixture, runCli } from './helper.ts'

const range = parseRange({ from: '2026-11-01T00:00:00Z', to: '2026-11-04T00:00:00Z' })

async function setup(t: Parameters<typeof build>[0]) {
  const { app, sql, url } = await build(t)
  await insertFixture(sql)
  const writer = await openDb(url, { readOnly: false })
  t.teardown(() => writer.close())
  const lines: string[] = []
  const run = (fix: boolean) => reconcile(writer.db, range, { fix, attributionWindowDays: 30, print: (line) => lines.push(line) })
  return { app, sql, url, run, lines }
}

t.test('consistent rollups report no drift', async (t) => {
  const { run, lines } = await setup(t)
  t.equal(await run(false), 0)
  t.match(lines.at(-1), /no drift/)
})

t.test('drift is reported per affiliate, exits 1, and --fix rebuilds the range', async (t) => {
  const { app, sql, run, lines } = await setup(t)
  // Three kinds of drift: an over-counted hour, a lost conversion rollup, a raw click never rolled up.
  await sql`update click_stats_hourly set clicks = clicks + 2 where affiliate_id = 1 and hour = '2026-11-01T10:00:00Z'`
  await sql`delete from conversion_stats_hourly where affiliate_id = 2`
  await sql`insert into clicks (click_id, affiliate_id, campaign_id, "timestamp", is_bot) values ('lost', 2, 1, '2026-11-02T05:00:00Z', true)`
  t.equal(await run(false), 1)
  t.match(
    lines.join('\n'),
    'affiliate 1: clicks raw 3, rollup 5 (+2), bot_clicks raw 0, rollup 0 (+0) in 1 hour×campaign cell(s)',
  )
  t.match(
    lines.join('\n'),
    'affiliate 2: clicks raw 0, rollup 0 (+0), bot_clicks raw 1, rollup 0 (-1) in 1 hour×campaign cell(s)',
  )
  t.match(
    lines.join('\n'),
    'affiliate 2: approved USD conversions raw 1, rollup 0 (-1), amount raw 999.0000, rollup 0.0000 in 1 cell(s)',
  )
  t.equal((await app.inject('/api/affiliates/1/summary?from=2026-11-01&to=2026-11-04')).json().clicks, 7)

  lines.length = 0
  t.equal(await run(true), 0)
  t.match(lines.at(-1), /fixed/)
  t.equal(await run(false), 0)
  t.equal((await app.inject('/api/affiliates/1/summary?from=2026-11-01&to=2026-11-04')).json().clicks, 5)
  t.match((await app.inject('/api/affiliates/2/summary?from=2026-11-01&to=2026-11-04')).json(), {
    bot_clicks: 1,
    conversions: 1,
    revenue: [{ currency: 'USD', amount: '999.0000' }],
  })
  // Outside the range nothing was touched.
  const [outside] = await sql`select count(*)::int as n from click_stats_hourly where hour >= '2026-11-04'`
  t.equal(outside!.n, 0)
})

// Also on Citus (pnpm test:citus), where a check outside the rebuild's locks read raw and
// rollup shards at different moments and reported a concurrent write as drift in 1 of 3 runs.
t.test('--fix while ingest-like writers insert leaves the rollups exact', async (t) => {
  const { sql, run } = await setup(t)
  await sql`update click_stats_hourly set clicks = clicks + 1` // drift for the rebuild to repair
  // Ingest's shape: the raw insert and its rollup increment commit together, the raw table
  // first. Each click has a millisecond of its own, so the rule over that millisecond is
  // the click's own increment.
  let n = 0
  const write = () => {
    const i = ++n
    const at = new Date(Date.parse('2026-11-02T00:00:00Z') + (i % 10) * 3_600_000 + i)
    const next = new Date(at.getTime() + 1)
    return sql.begin(async (sql) => {
      await sql`insert into clicks (click_id, affiliate_id, campaign_id, "timestamp", is_bot)
        values (${`live-${i}`}, ${1 + (i % 2)}, 1, ${at}, ${i % 7 === 0})`
      await sql`
        insert into click_stats_hourly as s (affiliate_id, hour, campaign_id, clicks, bot_clicks)
        select affiliate_id, hour, campaign_id, clicks, bot_clicks from click_stats_hourly_of(${at}, ${next})
        on conflict (affiliate_id, hour, campaign_id) do update
          set clicks = s.clicks + excluded.clicks, bot_clicks = s.bot_clicks + excluded.bot_clicks`
    })
  }
  let writing = true
  const writers = Array.from({ length: 4 }, async () => {
    while (writing) await write()
  })
  const fixes = []
  for (let i = 0; i < 3; i++) fixes.push(await run(true))
  writing = false
  await Promise.all(writers)
  t.ok(n > 0)
  t.same(fixes, [0, 0, 0])
  t.equal(await run(false), 0, `no drift after ${n} concurrent writes`)
})

t.test('the pnpm reconcile command exits 1 on drift and 0 once fixed', async (t) => {
  const { sql, url } = await setup(t)
  await sql`delete from click_stats_hourly where affiliate_id = 1`
  const cli = (args: string[]) => runCli('reconcile', args, url)
  const args = ['--from', '2026-11-01T00:00:00Z', '--to', '2026-11-04T00:00:00Z']
  const found = await cli(args)
  t.equal(found.code, 1, found.out)
  t.match(found.out, /affiliate 1: clicks raw 5, rollup 0 \(-5\), bot_clicks raw 2, rollup 0 \(-2\)/)
  t.equal((await cli([...args, '--fix'])).code, 0)
  t.equal((await cli([])).code, 0) // the default range: everything
  t.equal((await cli(['--from', 'nonsense'])).code, 2)
})

t.test('only the retained raw range is compared; older rollups are history, never rebuilt', async (t) => {
  const { sql, run, lines } = await setup(t)
  // As retention leaves it: raw rows before 2026-11-02 dropped with their conversions, recorded.
  const cut = '2026-11-02T00:00:00Z'
  await sql`delete from conversions where click_timestamp < ${cut}`
  await sql`delete from clicks where "timestamp" < ${cut}`
  await sql`insert into raw_retention (dropped_before) values (${cut})`
  const history = async () => sql`select * from click_stats_hourly where hour < ${cut} order by 1, 2, 3`
  const kept = await history()
  t.ok(kept.length > 0)

  t.equal(await run(false), 0, 'dropped raw rows are not drift')
  t.match(lines.join('\n'), 'clicks before 2026-11-02T00:00:00.000Z: raw rows dropped by retention; their rollups are kept as they are')
  // Conversions are complete only a window (30 days) after the cut: none of this range is compared.
  t.match(lines.join('\n'), 'conversions before 2026-11-04T00:00:00.000Z: raw rows dropped by retention')

  lines.length = 0
  await sql`update click_stats_hourly set clicks = clicks + 1 where hour = '2026-11-02T09:00:00Z'`
  await sql`update click_stats_hourly set clicks = clicks + 5 where hour < ${cut}`
  const edited = await history()
  t.equal(await run(true), 0)
  t.match(lines.join('\n'), /affiliate 1: clicks raw 1, rollup 2 \(\+1\)/, 'drift in the retained range is found')
  t.same(await history(), edited, '--fix leaves the rollups of dropped days as they are')
  t.notSame(edited, kept)
})
