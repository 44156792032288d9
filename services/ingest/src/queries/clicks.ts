// Group-commit writes of clicks. One statement inserts a whole batch (its keys, then the
// clicks whose keys were new) and, in the same transaction, adds the rows it actually
// inserted to click_stats_hourly; a second one looks up the rows it did not insert, to
// tell a replay from a conflict.
import type { Sql } from '@affiliate/shared/db'
import { BOOL, INT4, TEXT, firstOfEachKey } from './batch.ts'

export interface NewClick {
  click_id: string
  affiliate_id: number
  campaign_id: number
  sub1: string | null
  sub2: string | null
  sub3: string | null
  sub4: string | null
  sub5: string | null
  is_bot: boolean
  ip: string | null
  user_agent: string | null
  referer: string | null
}

export type StoredSubs = Pick<NewClick, 'sub1' | 'sub2' | 'sub3' | 'sub4' | 'sub5'>

export type ClickOutcome =
  | { status: 'inserted' }
  /** The same click_id, affiliate and campaign were stored before: answer as the first time. */
  | { status: 'replay'; stored: StoredSubs }
  /** The click_id belongs to another affiliate or campaign. */
  | { status: 'conflict' }

export async function storeClicks(sql: Sql, clicks: NewClick[]): Promise<(ClickOutcome | Error)[]> {
  // Every batch inserts in click_id order, so two concurrent batches lock index entries
  // in the same order and cannot deadlock; each key is sent once.
  const { first, rest } = firstOfEachKey(clicks, (c) => c.click_id)
  const inserted = await insertClicks(
    sql,
    first.map((i) => clicks[i]!),
  )
  const outcomes: (ClickOutcome | Error | undefined)[] = clicks.map(() => undefined)
  const unresolved: number[] = []
  for (const i of first) {
    if (inserted.has(clicks[i]!.click_id)) outcomes[i] = { status: 'inserted' }
    else unresolved.push(i)
  }
  unresolved.push(...rest)
  if (unresolved.length > 0) {
    const stored = await findClicks(sql, [...new Set(unresolved.map((i) => clicks[i]!.click_id))])
    for (const i of unresolved) {
      const click = clicks[i]!
      const row = stored.get(click.click_id)
      if (row === undefined) outcomes[i] = new Error('click neither inserted nor found')
      else if (row.affiliate_id !== click.affiliate_id || row.campaign_id !== click.campaign_id) {
        outcomes[i] = { status: 'conflict' }
      } else outcomes[i] = { status: 'replay', stored: row }
    }
  }
  return outcomes as (ClickOutcome | Error)[]
}

async function insertClicks(sql: Sql, clicks: NewClick[]): Promise<Set<string>> {
  const text = (value: (c: NewClick) => string | null) => sql.array(clicks.map(value), TEXT)
  const int = (value: (c: NewClick) => number) => sql.array(clicks.map(value), INT4)
  // click_keys decides (its primary key is click_id's one unique index, migration 050);
  // the click itself is written only for a key that was new, with the key's timestamp.
  const rows = await sql<{ click_id: string }[]>`
    with batch as (
      select * from unnest(
        ${text((c) => c.click_id)}::text[],
        ${int((c) => c.affiliate_id)}::int[],
        ${int((c) => c.campaign_id)}::int[],
        ${text((c) => c.sub1)}::text[],
        ${text((c) => c.sub2)}::text[],
        ${text((c) => c.sub3)}::text[],
        ${text((c) => c.sub4)}::text[],
        ${text((c) => c.sub5)}::text[],
        ${sql.array(
          clicks.map((c) => c.is_bot),
          BOOL,
        )}::bool[],
        ${text((c) => c.ip)}::inet[],
        ${text((c) => c.user_agent)}::text[],
        ${text((c) => c.referer)}::text[]
      ) as u(click_id, affiliate_id, campaign_id, sub1, sub2, sub3, sub4, sub5, is_bot, ip, user_agent, referer)
    ), keys as (
      insert into click_keys (click_id, affiliate_id, campaign_id, sub1, sub2, sub3, sub4, sub5)
      select click_id, affiliate_id, campaign_id, sub1, sub2, sub3, sub4, sub5 from batch
      on conflict (click_id) do nothing
      returning click_id, "timestamp"
    ), inserted as (
      insert into clicks (click_id, "timestamp", affiliate_id, campaign_id, sub1, sub2, sub3, sub4, sub5, is_bot, ip, user_agent, referer)
      select b.click_id, k."timestamp", b.affiliate_id, b.campaign_id, b.sub1, b.sub2, b.sub3, b.sub4, b.sub5,
             b.is_bot, b.ip, b.user_agent, b.referer
      from batch b join keys k using (click_id)
      returning click_id, affiliate_id, campaign_id, "timestamp", is_bot
    ), rollup as (
      -- Only rows inserted above count; one row per key, in key order (no deadlocks).
      insert into click_stats_hourly as s (affiliate_id, hour, campaign_id, clicks, bot_clicks)
      select affiliate_id, date_trunc('hour', "timestamp", 'UTC'), campaign_id,
             count(*) filter (where not is_bot), count(*) filter (where is_bot)
      from inserted
      group by 1, 2, 3
      order by 1, 2, 3
      on conflict (affiliate_id, hour, campaign_id) do update
        set clicks = s.clicks + excluded.clicks, bot_clicks = s.bot_clicks + excluded.bot_clicks
    )
    select click_id from inserted`
  return new Set(rows.map((r) => r.click_id))
}

// The key holds all a replay answers with: the click's day is never needed.
async function findClicks(sql: Sql, clickIds: string[]) {
  const rows = await sql<(StoredSubs & { click_id: string; affiliate_id: number; campaign_id: number })[]>`
    select click_id, affiliate_id, campaign_id, sub1, sub2, sub3, sub4, sub5
    from click_keys where click_id = any(${sql.array(clickIds, TEXT)}::text[])`
  return new Map(rows.map((r) => [r.click_id, r]))
}
