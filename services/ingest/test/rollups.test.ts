// The rollups are what reports read. They are upserted in the same statement as the raw
// rows and count only rows actually inserted, so they hold exactly the rows the rollup
// rule (migrations/040: click_stats_hourly_of, conversion_stats_hourly_of) makes of the
// raw tables, whatever mix of concurrent new rows, replays, conflicts and bots arrives,
// wherever the rows fall around an hour edge, and whatever the reader's time zone.
import t from 'tap'
import { BROWSER_UA, build } from './helper.ts'

const BOT = 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)'
const TOKENS = ['demo-token-1', 'demo-token-2', 'demo-token-3']
const HOUR = 3_600_000

t.test(
  'rollups equal the raw tables after many concurrent clicks and postbacks with replays and conflicts',
  async (t) => {
    const { app, sql } = await build(t)
    const clickIds = Array.from({ length: 120 }, (_, i) => `r-${i}`)
    const campaignOf = (i: number) => (i % 3) + 1
    const affiliateOf = (i: number) => (i % 2) + 1

    // Each click three times (replays), some from bots; then, with more replays, some
    // click_ids reused by another affiliate (409).
    const request = (i: number, affiliate: number) => ({
      url: `/click?affiliate_id=${affiliate}&campaign_id=${campaignOf(i)}&click_id=${clickIds[i]}`,
      headers: { 'user-agent': i % 5 === 0 ? BOT : BROWSER_UA },
    })
    const first = await Promise.all(
      shuffle(
        clickIds.flatMap((_, i) => [
          request(i, affiliateOf(i)),
          request(i, affiliateOf(i)),
          request(i, affiliateOf(i)),
        ]),
      ).map((r) => app.inject(r)),
    )
    t.same(new Set(first.map((r) => r.statusCode)), new Set([302]))
    const second = await Promise.all(
      shuffle(clickIds.flatMap((_, i) => (i % 7 === 0 ? [request(i, 3), request(i, affiliateOf(i))] : []))).map((r) =>
        app.inject(r),
      ),
    )
    t.same(new Set(second.map((r) => r.statusCode)), new Set([302, 409]))

    // Conversions: replays (200 duplicate), conflicting amounts (409), several txn_ids and statuses.
    const postbacks = clickIds.flatMap((id, i) => {
      const base = `/postback?affiliate_id=${affiliateOf(i)}&click_id=${id}&token=${TOKENS[campaignOf(i) - 1]}`
      const status = ['approved', 'pending', 'rejected'][i % 3]
      const currency = i % 4 === 0 ? 'EUR' : 'USD'
      const first = `${base}&amount=${(i * 1.25).toFixed(2)}&currency=${currency}&status=${status}`
      return [
        first,
        first,
        `${base}&amount=${(i * 1.25 + 1).toFixed(2)}&currency=${currency}&status=${status}`,
        `${base}&amount=0.0001&currency=${currency}&txn_id=extra-${i % 4}`,
      ]
    })
    const postbackResponses = await Promise.all(shuffle(postbacks).map((url) => app.inject(url)))
    t.ok(
      postbackResponses.some((r) => r.statusCode === 200 && r.json().duplicate === true),
      'some replays',
    )
    t.ok(
      postbackResponses.some((r) => r.statusCode === 409),
      'some conflicts',
    )

    const clickRaw = await sql`
    select affiliate_id, hour, campaign_id, clicks::int, bot_clicks::int
    from click_stats_hourly_of() order by 1, 2, 3`
    const clickStats = await sql`
    select affiliate_id, hour, campaign_id, clicks::int, bot_clicks::int
    from click_stats_hourly order by 1, 2, 3`
    t.same(clickStats, clickRaw)
    t.equal(
      clickRaw.reduce((n, r) => n + r.clicks + r.bot_clicks, 0),
      120,
    )

    const conversionRaw = await sql`
    select affiliate_id, hour, campaign_id, status, currency, conversions::int, amount::text
    from conversion_stats_hourly_of() order by 1, 2, 3, 4, 5`
    const conversionStats = await sql`
    select affiliate_id, hour, campaign_id, status, currency, conversions::int, amount::numeric(18, 4)::text as amount
    from conversion_stats_hourly order by 1, 2, 3, 4, 5`
    t.same(conversionStats, conversionRaw)
    const n = (await sql`select count(*)::int as n from conversions`)[0]!.n as number
    t.equal(n, 120 + 120, 'one conversion per click plus one per distinct extra txn_id')
    t.equal(
      postbackResponses.filter((r) => r.statusCode === 200 && r.json().duplicate !== true).length,
      n,
      'one acknowledgement per stored row',
    )
  },
)

t.test('the upserts agree with the rollup rule at hour edges, read in a half-hour time zone', async (t) => {
  const { app, sql } = await build(t)
  // Ingest stamps rows with now(). To place them around hour edges, this test's database
  // moves each row, before it is stored, to the instant its id begins with; the rollup
  // upsert reads the stored row back (RETURNING), so ingest's statements run unchanged.
  await sql.unsafe(`
    create function place_click() returns trigger language plpgsql as $$
    begin
      new."timestamp" := split_part(new.click_id, '~', 1)::timestamptz;
      return new;
    end $$;
    create function place_conversion() returns trigger language plpgsql as $$
    begin
      new."timestamp" := split_part(new.txn_id, '~', 1)::timestamptz;
      return new;
    end $$;
    create trigger place before insert on clicks for each row execute function place_click();
    create trigger place before insert on conversions for each row execute function place_conversion();`)

  // Recent enough to convert: the UTC hour edge h, two hours ago. Asia/Kolkata (+05:30)
  // starts its hours at :30 UTC, so a bucket taken in the session's zone would differ.
  const h = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR
  const iso = (ms: number) => new Date(ms).toISOString()
  const instants = [
    iso(h - HOUR / 2 - 1),
    iso(h - HOUR / 2),
    iso(h - 1).replace('Z', '999Z'), // the last microsecond before the edge
    iso(h),
    iso(h + HOUR / 2),
  ]
  for (const [i, at] of instants.entries()) {
    // Two affiliates, two campaigns, one bot click per instant.
    for (const k of [0, 1, 2, 3]) {
      const [affiliate, campaign] = [1 + (k % 2), 1 + (k >> 1)]
      const clickId = `${at}~${k}`
      const click = await app.inject({
        url: `/click?affiliate_id=${affiliate}&campaign_id=${campaign}&click_id=${clickId}`,
        headers: { 'user-agent': k === 3 ? BOT : BROWSER_UA },
      })
      t.equal(click.statusCode, 302, click.body)
      // Converted at another edge's instant, in two currencies and statuses.
      const converted = instants[(i + k) % instants.length]!
      const postback = await app.inject(
        `/postback?affiliate_id=${affiliate}&click_id=${clickId}&txn_id=${converted}&amount=${k + 0.25}` +
          `&currency=${k % 2 ? 'EUR' : 'USD'}&status=${k < 2 ? 'approved' : 'pending'}&token=${TOKENS[campaign - 1]}`,
      )
      t.equal(postback.statusCode, 200, postback.body)
    }
  }

  // Read on a session whose time zone is Asia/Kolkata: the hours must not move.
  const from = iso(h - HOUR)
  const to = iso(h + HOUR)
  const [clickStats, clickRule, conversionStats, conversionRule] = await sql.begin(async (sql) => {
    await sql`set local time zone 'Asia/Kolkata'`
    return [
      await sql`select affiliate_id, hour, campaign_id, clicks::int, bot_clicks::int
        from click_stats_hourly order by 1, 2, 3`,
      await sql`select affiliate_id, hour, campaign_id, clicks::int, bot_clicks::int
        from click_stats_hourly_of(${from}, ${to}) order by 1, 2, 3`,
      await sql`select affiliate_id, hour, campaign_id, status, currency, conversions::int, amount::text
        from conversion_stats_hourly order by 1, 2, 3, 4, 5`,
      await sql`select affiliate_id, hour, campaign_id, status, currency, conversions::int,
          amount::numeric(24, 4)::text as amount
        from conversion_stats_hourly_of(${from}, ${to}) order by 1, 2, 3, 4, 5`,
    ] as const
  })
  t.same(clickStats, clickRule)
  t.same(conversionStats, conversionRule)
  const hours = (rows: readonly Record<string, unknown>[]) =>
    [...new Set(rows.map((r) => (r.hour as Date).toISOString()))].sort()
  t.same(hours(clickRule), [iso(h - HOUR), iso(h)], 'clicks fall into the two UTC hours of their instants')
  t.same(hours(conversionRule), [iso(h - HOUR), iso(h)], 'so do conversions')
  t.equal(clickRule.reduce((n, r) => n + r.clicks + r.bot_clicks, 0), 20)
  t.equal(conversionRule.reduce((n, r) => n + r.conversions, 0), 20)
})

function shuffle<T>(items: T[]): T[] {
  // A fixed permutation: the same run every time, still interleaving keys.
  return items
    .map((item, i) => ({ item, k: (i * 7919) % items.length }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.item)
}
