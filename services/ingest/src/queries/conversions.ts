// Group-commit writes of conversions, like clicks: one statement inserts the batch's
// conversions whose click exists (in click_keys: conversions are written only this way,
// which is what the foreign key to clicks used to hold), belongs to the given affiliate
// and to one of the token's campaigns, and is inside the attribution window; each carries
// its click's timestamp (its partition key, migration 050) and sub-ids. In the same
// transaction it adds the rows it inserted to conversion_stats_hourly. The rows it did not
// insert are looked up to give each its answer, in the documented order.
import type { ConversionStatus } from '@affiliate/contracts/values'
import type { Sql } from '@affiliate/shared/db'
import { BOOL, INT4, TEXT, firstOfEachKey } from './batch.ts'

export interface NewConversion {
  click_id: string
  /** '' when the advertiser sent none: one conversion per click unless txn_ids differ. */
  txn_id: string
  affiliate_id: number
  /** Decimal text, validated; compared numerically (10 = 10.00). */
  amount: string
  currency: string
  status: ConversionStatus
  /** Campaigns of the advertiser whose token was given; null when no token is required and none was given. */
  campaign_ids: readonly number[] | null
  source_ip: string | null
  /** JSON text of what the caller sent, secrets redacted. */
  raw_request: string
}

export type ConversionOutcome = 'inserted' | 'duplicate' | 'invalid_click' | 'click_expired' | 'duplicate_conflict'

interface Found {
  i: number
  affiliate_id: number | null
  campaign_id: number | null
  fresh: boolean | null
  converted: boolean
  same: boolean | null
}

// A row that nothing explains (its click committed between the two statements) is tried again.
const ROUNDS = 3

export async function storeConversions(
  sql: Sql,
  conversions: NewConversion[],
  windowDays: number,
): Promise<(ConversionOutcome | Error)[]> {
  const outcomes: (ConversionOutcome | Error | undefined)[] = conversions.map(() => undefined)
  let pending = conversions.map((_, i) => i)
  for (let round = 1; pending.length > 0 && round <= ROUNDS; round++) {
    const batch = pending.map((i) => conversions[i]!)
    const { first, rest } = firstOfEachKey(batch, (c) => `${c.click_id}\u0000${c.txn_id}`)
    const inserted = await insertConversions(
      sql,
      first.map((i) => batch[i]!),
      windowDays,
    )
    const unresolved = [...rest]
    for (const i of first) {
      if (inserted.has(`${batch[i]!.click_id}\u0000${batch[i]!.txn_id}`)) outcomes[pending[i]!] = 'inserted'
      else unresolved.push(i)
    }
    const found = unresolved.length > 0 ? await findConversions(sql, unresolved, batch, windowDays) : []
    const next: number[] = []
    for (const row of found) {
      const conversion = batch[row.i]!
      const outcome = explain(conversion, row) ?? (round === ROUNDS ? 'invalid_click' : undefined)
      if (outcome === undefined) next.push(pending[row.i]!)
      else outcomes[pending[row.i]!] = outcome
    }
    pending = next
  }
  return outcomes.map((o) => o ?? new Error('conversion not resolved'))
}

function explain(conversion: NewConversion, row: Found): ConversionOutcome | undefined {
  const ownClick =
    row.affiliate_id === conversion.affiliate_id &&
    (conversion.campaign_ids === null || conversion.campaign_ids.includes(row.campaign_id!))
  if (!ownClick) return 'invalid_click'
  if (row.converted && row.same) return 'duplicate'
  if (!row.fresh) return 'click_expired'
  if (row.converted) return 'duplicate_conflict'
  return undefined
}

async function insertConversions(sql: Sql, rows: NewConversion[], windowDays: number): Promise<Set<string>> {
  const text = (value: (r: NewConversion) => string | null) => sql.array(rows.map(value), TEXT)
  const inserted = await sql<{ click_id: string; txn_id: string }[]>`
    with inserted as (
      insert into conversions
        (click_id, txn_id, amount, currency, status, affiliate_id, campaign_id, source_ip, raw_request,
         click_timestamp, sub1, sub2, sub3, sub4, sub5)
      select u.click_id, u.txn_id, u.amount, u.currency, u.status, k.affiliate_id, k.campaign_id,
             u.source_ip, u.raw_request, k."timestamp", k.sub1, k.sub2, k.sub3, k.sub4, k.sub5
      from unnest(
        ${text((r) => r.click_id)}::text[],
        ${text((r) => r.txn_id)}::text[],
        ${sql.array(
          rows.map((r) => r.affiliate_id),
          INT4,
        )}::int[],
        ${text((r) => r.amount)}::numeric[],
        ${text((r) => r.currency)}::text[],
        ${text((r) => r.status)}::text[],
        ${text((r) => (r.campaign_ids === null ? null : `{${r.campaign_ids.join(',')}}`))}::text[],
        ${text((r) => r.source_ip)}::inet[],
        ${text((r) => r.raw_request)}::jsonb[]
      ) with ordinality as u(click_id, txn_id, affiliate_id, amount, currency, status, campaign_ids, source_ip, raw_request, n)
      join click_keys k on k.click_id = u.click_id and k.affiliate_id = u.affiliate_id
      -- The batch's click_ids again, as a filter on the table: on Citus it keeps the statement
      -- to their shards (a join to unnest alone is sent to every shard).
      where k.click_id = any(${text((r) => r.click_id)}::text[])
        and (u.campaign_ids is null or k.campaign_id = any(u.campaign_ids::int[]))
        and k."timestamp" > now() - make_interval(days => ${windowDays}::int)
      -- The arrays are in key order: concurrent batches lock index entries in one order.
      order by u.n
      on conflict (click_id, txn_id, click_timestamp) do nothing
      returning click_id, txn_id, affiliate_id, campaign_id, status, currency, amount, "timestamp"
    ), rollup as (
      -- Only rows inserted above count; one row per key, in key order (no deadlocks).
      insert into conversion_stats_hourly as s (affiliate_id, hour, campaign_id, status, currency, conversions, amount)
      select affiliate_id, date_trunc('hour', "timestamp", 'UTC'), campaign_id, status, currency, count(*), sum(amount)
      from inserted
      group by 1, 2, 3, 4, 5
      order by 1, 2, 3, 4, 5
      on conflict (affiliate_id, hour, campaign_id, status, currency) do update
        set conversions = s.conversions + excluded.conversions, amount = s.amount + excluded.amount
    )
    select click_id, txn_id from inserted`
  return new Set(inserted.map((r) => `${r.click_id}\u0000${r.txn_id}`))
}

// In two statements: the clicks' keys first, then their conversions in the days of those
// clicks only (click_timestamp = any(…) prunes the partitions when the statement starts,
// on PostgreSQL and Citus alike; click_id = any(…) keeps Citus to the batch's shards). A
// single join cannot know the days before it runs, and would look in every day's partition.
async function findConversions(
  sql: Sql,
  indices: number[],
  batch: NewConversion[],
  windowDays: number,
): Promise<Found[]> {
  const rows = indices.map((i) => batch[i]!)
  const text = (value: (r: NewConversion) => string) => sql.array(rows.map(value), TEXT)
  const clickIds = sql.array([...new Set(rows.map((r) => r.click_id))], TEXT)
  const keys = await sql<{ click_id: string; affiliate_id: number; campaign_id: number; at: string; fresh: boolean }[]>`
    select click_id, affiliate_id, campaign_id, "timestamp"::text as at,
           "timestamp" > now() - make_interval(days => ${windowDays}::int) as fresh
    from click_keys where click_id = any(${clickIds}::text[])`
  const stored =
    keys.length === 0
      ? []
      : await sql<{ click_id: string; txn_id: string; same: boolean }[]>`
          select u.click_id, u.txn_id,
                 c.amount = u.amount and c.currency = u.currency and c.status = u.status as same
          from unnest(
            ${text((r) => r.click_id)}::text[],
            ${text((r) => r.txn_id)}::text[],
            ${text((r) => r.amount)}::numeric[],
            ${text((r) => r.currency)}::text[],
            ${text((r) => r.status)}::text[]
          ) as u(click_id, txn_id, amount, currency, status)
          join conversions c on c.click_id = u.click_id and c.txn_id = u.txn_id
          where c.click_id = any(${clickIds}::text[])
            and c.click_timestamp = any(${sql.array(
              keys.map((k) => k.at),
              TEXT,
            )}::timestamptz[])`
  const keyOf = new Map(keys.map((k) => [k.click_id, k]))
  const sameOf = new Map(stored.map((c) => [`${c.click_id}\u0000${c.txn_id}`, c.same]))
  return indices.map((i, n) => {
    const key = keyOf.get(rows[n]!.click_id)
    const same = sameOf.get(`${rows[n]!.click_id}\u0000${rows[n]!.txn_id}`)
    return {
      i,
      affiliate_id: key?.affiliate_id ?? null,
      campaign_id: key?.campaign_id ?? null,
      fresh: key?.fresh ?? null,
      converted: same !== undefined,
      same: same ?? null,
    }
  })
}
