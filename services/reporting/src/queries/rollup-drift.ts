// Rollups against the raw tables, for `pnpm reconcile`: what differs, per affiliate, and
// a rebuild of a range from the raw rows. What the rollups should hold is the rule of
// migrations/040 (click_stats_hourly_of, conversion_stats_hourly_of), never restated here.
import { sql } from 'kysely'
import type { Db } from '../db.ts'
import type { Range } from '../range.ts'

/** What reconcile compares and rebuilds of each rollup; undefined: nothing (all dropped by retention). */
export interface Ranges {
  clicks: Range | undefined
  conversions: Range | undefined
}

/** Raw rows before this were dropped by retention (packages/shared/src/partitions.ts); null: none. */
export async function rawDroppedBefore(db: Db): Promise<Date | null> {
  const row = await db.selectFrom('raw_retention').select('dropped_before').executeTakeFirst()
  return row?.dropped_before ?? null
}

export interface ClickDrift {
  affiliate_id: number
  /** (hour, campaign) cells that differ. */
  cells: number
  raw_clicks: number
  rollup_clicks: number
  raw_bot_clicks: number
  rollup_bot_clicks: number
}

export interface ConversionDrift {
  affiliate_id: number
  status: string
  currency: string
  cells: number
  raw_conversions: number
  rollup_conversions: number
  raw_amount: string
  rollup_amount: string
}

export async function findClickDrift(db: Db, { from, to }: Range): Promise<ClickDrift[]> {
  const { rows } = await sql<ClickDrift>`
    with raw as (
      select * from click_stats_hourly_of(${from}, ${to})
    ), rollup as (
      select affiliate_id, hour, campaign_id, clicks, bot_clicks
      from click_stats_hourly where hour >= ${from} and hour < ${to}
    )
    select affiliate_id, count(*)::int8 as cells,
           sum(coalesce(raw.clicks, 0))::int8 as raw_clicks, sum(coalesce(rollup.clicks, 0))::int8 as rollup_clicks,
           sum(coalesce(raw.bot_clicks, 0))::int8 as raw_bot_clicks, sum(coalesce(rollup.bot_clicks, 0))::int8 as rollup_bot_clicks
    from raw full join rollup using (affiliate_id, hour, campaign_id)
    where coalesce(raw.clicks, 0) <> coalesce(rollup.clicks, 0)
       or coalesce(raw.bot_clicks, 0) <> coalesce(rollup.bot_clicks, 0)
    group by affiliate_id
    order by affiliate_id`.execute(db)
  return rows
}

export async function findConversionDrift(db: Db, { from, to }: Range): Promise<ConversionDrift[]> {
  const { rows } = await sql<ConversionDrift>`
    with raw as (
      select * from conversion_stats_hourly_of(${from}, ${to})
    ), rollup as (
      select affiliate_id, hour, campaign_id, status, currency, conversions, amount
      from conversion_stats_hourly where hour >= ${from} and hour < ${to}
    )
    select affiliate_id, status, currency, count(*)::int8 as cells,
           sum(coalesce(raw.conversions, 0))::int8 as raw_conversions,
           sum(coalesce(rollup.conversions, 0))::int8 as rollup_conversions,
           sum(coalesce(raw.amount, 0))::numeric(24, 4)::text as raw_amount,
           sum(coalesce(rollup.amount, 0))::numeric(24, 4)::text as rollup_amount
    from raw full join rollup using (affiliate_id, hour, campaign_id, status, currency)
    where coalesce(raw.conversions, 0) <> coalesce(rollup.conversions, 0)
       or coalesce(raw.amount, 0) <> coalesce(rollup.amount, 0)
    group by affiliate_id, status, currency
    order by affiliate_id, status, currency`.execute(db)
  return rows
}

/**
 * Replaces the rollup rows of the range with what the rule makes of the raw rows. Run it
 * inside a transaction (the locks below last until its end), and check the result in the
 * same one: the check is then exact while ingest runs, on Citus too, where a comparison
 * outside the locks reads the raw and rollup shards at different moments and can count a
 * concurrent event on one side only.
 *
 * Safe while ingest runs: ingest writes a raw row and its rollup increment in one
 * statement. SHARE on the raw tables waits for in-flight ingest transactions to commit and
 * then holds new inserts back (reads and the conversions→clicks foreign-key checks still
 * pass), so the sums below see every committed event and no increment can land between
 * them and the rewrite. EXCLUSIVE on the rollups keeps other writers out while reports
 * keep reading. Raw tables are locked before rollups, the order in which ingest's
 * statements take them, so the two cannot deadlock. Ingest stalls until the transaction
 * ends (its requests wait; none fails): keep ranges small on a busy system.
 */
export async function rebuildRollups(tx: Db, { clicks, conversions }: Ranges): Promise<void> {
  await sql`lock table clicks, conversions in share mode`.execute(tx)
  await sql`lock table click_stats_hourly, conversion_stats_hourly in exclusive mode`.execute(tx)
  if (clicks) {
    await sql`delete from click_stats_hourly where hour >= ${clicks.from} and hour < ${clicks.to}`.execute(tx)
    await sql`
      insert into click_stats_hourly (affiliate_id, hour, campaign_id, clicks, bot_clicks)
      select affiliate_id, hour, campaign_id, clicks, bot_clicks
      from click_stats_hourly_of(${clicks.from}, ${clicks.to})`.execute(tx)
  }
  if (conversions) {
    await sql`delete from conversion_stats_hourly where hour >= ${conversions.from} and hour < ${conversions.to}`.execute(tx)
    await sql`
      insert into conversion_stats_hourly (affiliate_id, hour, campaign_id, status, currency, conversions, amount)
      select affiliate_id, hour, campaign_id, status, currency, conversions, amount
      from conversion_stats_hourly_of(${conversions.from}, ${conversions.to})`.execute(tx)
  }
}
