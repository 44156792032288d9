// The rollups are what reports read. They are upserted in the same statement as the raw
// rows and count only rows actually inserted, so they equal count(*)/sum over the raw
// tables exactly, whatever mix of concurrent new rows, replays, conflicts and bots arrives.
import t from 'tap'
import { BROWSER_UA, build } from './helper.ts'

const BOT = 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)'
const TOKENS = ['demo-token-1', 'demo-token-2', 'demo-token-3']

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
    select affiliate_id, date_trunc('hour', "timestamp", 'UTC') as hour, campaign_id,
           (count(*) filter (where not is_bot))::int as clicks, (count(*) filter (where is_bot))::int as bot_clicks
    from clicks group by 1, 2, 3 order by 1, 2, 3`
    const clickStats = await sql`
    select affiliate_id, hour, campaign_id, clicks::int, bot_clicks::int
    from click_stats_hourly order by 1, 2, 3`
    t.same(clickStats, clickRaw)
    t.equal(
      clickRaw.reduce((n, r) => n + r.clicks + r.bot_clicks, 0),
      120,
    )

    const conversionRaw = await sql`
    select affiliate_id, date_trunc('hour', "timestamp", 'UTC') as hour, campaign_id, status, currency,
           count(*)::int as conversions, sum(amount)::text as amount
    from conversions group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`
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

function shuffle<T>(items: T[]): T[] {
  // A fixed permutation: the same run every time, still interleaving keys.
  return items
    .map((item, i) => ({ item, k: (i * 7919) % items.length }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.item)
}
