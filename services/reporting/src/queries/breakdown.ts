// Figures per value of one sub-id. The one report that reads raw clicks: through
// clicks_affiliate_time_idx (affiliate_id, "timestamp"), over a range capped by the route.
// Clicks count at their time; conversions at theirs, attributed to the sub-id of the
// click they convert (copied onto each conversion by ingest, migration 050: no join).
import type { SubId } from '@affiliate/contracts'
import { sql } from 'kysely'
import type { Db } from '../db.ts'
import type { Range } from '../range.ts'
import { type ConversionCounts, groupBy, toFigures } from './figures.ts'

export async function breakdownBySubId(
  db: Db,
  affiliateId: number,
  options: { range: Range; by: SubId; campaignId?: number; limit: number; includeBots: boolean },
) {
  const { range, by, campaignId, limit, includeBots } = options
  const value = sql.ref<string | null>(by)
  const ranked = includeBots ? sql`count(*)` : sql`count(*) filter (where not is_bot)`
  const [clicks, conversions] = await Promise.all([
    db
      .selectFrom('clicks')
      .select([
        value.as('value'),
        sql<number>`count(*) filter (where not is_bot)`.as('clicks'),
        sql<number>`count(*) filter (where is_bot)`.as('bot_clicks'),
      ])
      .where('affiliate_id', '=', affiliateId)
      .where('timestamp', '>=', range.from)
      .where('timestamp', '<', range.to)
      .$if(campaignId !== undefined, (qb) => qb.where('campaign_id', '=', campaignId!))
      .groupBy(sql`1`)
      .orderBy(ranked, 'desc')
      .orderBy(sql`1`)
      .limit(limit)
      .execute(),
    db
      .selectFrom('conversions')
      .select([
        value.as('value'),
        'status',
        'currency',
        sql<number>`count(*)`.as('conversions'),
        sql<string>`sum(amount)::numeric(24, 4)::text`.as('amount'),
      ])
      .where('affiliate_id', '=', affiliateId)
      .where('timestamp', '>=', range.from)
      .where('timestamp', '<', range.to)
      // Implied (a click comes before its conversions), but it spares the partitions of later clicks.
      .where('click_timestamp', '<', range.to)
      .where('status', 'in', ['approved', 'pending'])
      .$if(campaignId !== undefined, (qb) => qb.where('campaign_id', '=', campaignId!))
      .groupBy([sql`1`, 'status', 'currency'])
      .orderBy('currency')
      .execute(),
  ])
  // The top values by clicks; a value that converted without clicks in the range is not ranked.
  const conversionsByValue = groupBy(conversions as (ConversionCounts & { value: string | null })[], (r) => r.value)
  return clicks.map((row) => ({
    value: row.value,
    ...toFigures(row, conversionsByValue.get(row.value) ?? [], includeBots),
  }))
}
