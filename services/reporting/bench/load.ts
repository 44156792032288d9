// Synthetic history generated inside PostgreSQL (generate_series), so that millions of
// rows load in minutes: 100 affiliates × 50 campaigns over 90 days, clicks in time order
// as ingest would write them, ~5% converting, and the rollups built from the raw rows.
import type { Sql } from '@affiliate/shared/db'

export const AFFILIATES = 100
export const CAMPAIGNS = 50
export const DAYS = 90
const CHUNK = 1_000_000

export async function insertReferenceData(sql: Sql) {
  await sql`insert into affiliates (id, name) select g, 'Affiliate ' || g from generate_series(1, ${AFFILIATES}) g`
  await sql`insert into campaigns (id, name, landing_url, postback_token)
    select g, 'Campaign ' || g, 'https://shop.example.com/?c=' || g, 'bench-token-' || g from generate_series(1, ${CAMPAIGNS}) g`
}

/**
 * Adds clicks numbered (from, to], spread evenly over the 90 days before `end`, each
 * 20th one a bot, and a conversion for each 20th non-bot click (5%: 500k per 10M).
 */
export async function insertHistory(sql: Sql, end: Date, from: number, to: number, progress: (done: number) => void) {
  for (let start = from; start < to; start += CHUNK) {
    const stop = Math.min(start + CHUNK, to)
    // One call (from, to] spans the whole 90 days, its chunks in time order like live traffic.
    // Each click's key and row, as ingest stores them (migration 050), and the conversions
    // from the same rows: reading them back from clicks would scan every partition per chunk
    // (nothing indexes clicks.id), which grows with the square of the history at 100M.
    await sql`
      with keys as (
        insert into click_keys (click_id, affiliate_id, campaign_id, "timestamp", sub1, sub2)
        select 'bench-' || g,
               1 + (hashint8(g) & 2147483647) % ${AFFILIATES},
               1 + (hashint8(g + 7) & 2147483647) % ${CAMPAIGNS},
               ${end}::timestamptz - ${DAYS}::int * interval '1 day' * (1 - (g - ${from})::float8 / ${to - from}),
               'source-' || (hashint8(g + 13) & 2147483647) % 40,
               'creative-' || (hashint8(g + 17) & 2147483647) % 200
        from generate_series(${start + 1}::int8, ${stop}::int8) g
        returning click_id, affiliate_id, campaign_id, "timestamp", sub1, sub2, substr(click_id, 7)::int8 as n
      ),
      stored as (
        insert into clicks (click_id, affiliate_id, campaign_id, "timestamp", sub1, sub2, is_bot)
        select click_id, affiliate_id, campaign_id, "timestamp", sub1, sub2, n % 20 = 0 from keys
      )
      insert into conversions (click_id, txn_id, amount, currency, status, "timestamp", affiliate_id, campaign_id,
                               click_timestamp, sub1, sub2)
      select c.click_id, '', ((hashint8(c.n) & 65535) % 20000) / 100.0 + 1,
             (array['USD', 'EUR', 'GBP'])[1 + c.n % 3],
             (array['approved', 'approved', 'approved', 'approved', 'approved', 'approved', 'approved', 'pending', 'pending', 'rejected'])[1 + (c.n / 20) % 10],
             c."timestamp" + (c.n % 7200) * interval '1 second', c.affiliate_id, c.campaign_id,
             c."timestamp", c.sub1, c.sub2
      from keys c
      where c.n % 20 = 10 and c."timestamp" + (c.n % 7200) * interval '1 second' < ${end}::timestamptz`
    progress(stop)
  }
}

/**
 * Rebuilds both rollups from the raw tables by the rule ingest keeps (migrations/040), in
 * hour order as ingest would have written them.
 */
export async function buildRollups(sql: Sql) {
  await sql`truncate click_stats_hourly, conversion_stats_hourly`
  await sql`
    insert into click_stats_hourly (affiliate_id, hour, campaign_id, clicks, bot_clicks)
    select affiliate_id, hour, campaign_id, clicks, bot_clicks from click_stats_hourly_of() order by hour`
  await sql`
    insert into conversion_stats_hourly (affiliate_id, hour, campaign_id, status, currency, conversions, amount)
    select affiliate_id, hour, campaign_id, status, currency, conversions, amount
    from conversion_stats_hourly_of() order by hour`
  await sql`vacuum analyze clicks, conversions, click_stats_hourly, conversion_stats_hourly`
}
