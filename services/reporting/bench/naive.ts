// The same reports written the obvious way, over the raw tables: what the rollups replace.
import type { Sql } from '@affiliate/shared/db'

type Naive = (sql: Sql, affiliateId: number, from: Date, to: Date) => Promise<unknown>

const conversionTotals = (sql: Sql, affiliateId: number, from: Date, to: Date, key: string) => sql`
  select ${sql.unsafe(key)} as key, status, currency, count(*), sum(amount)
  from conversions
  where affiliate_id = ${affiliateId} and "timestamp" >= ${from} and "timestamp" < ${to} and status <> 'rejected'
  group by 1, 2, 3`

export const naive: Record<string, Naive> = {
  summary: (sql, id, from, to) =>
    Promise.all([
      sql`select count(*) filter (where not is_bot), count(*) filter (where is_bot) from clicks
          where affiliate_id = ${id} and "timestamp" >= ${from} and "timestamp" < ${to}`,
      conversionTotals(sql, id, from, to, '1'),
    ]),
  campaigns: (sql, id, from, to) =>
    Promise.all([
      sql`select campaign_id, count(*) filter (where not is_bot), count(*) filter (where is_bot) from clicks
          where affiliate_id = ${id} and "timestamp" >= ${from} and "timestamp" < ${to} group by 1`,
      conversionTotals(sql, id, from, to, 'campaign_id'),
    ]),
  timeseries: (sql, id, from, to) =>
    Promise.all([
      sql`select b, count(c.id) filter (where not c.is_bot), count(c.id) filter (where c.is_bot)
          from generate_series(${from}::timestamptz, ${to}::timestamptz - interval '1 day', '1 day') b
          left join clicks c on c.affiliate_id = ${id} and c."timestamp" >= b and c."timestamp" < b + interval '1 day'
          group by 1 order by 1`,
      conversionTotals(sql, id, from, to, `date_trunc('day', "timestamp")`),
    ]),
  breakdown: (sql, id, from, to) =>
    Promise.all([
      sql`select sub1, count(*) filter (where not is_bot), count(*) filter (where is_bot) from clicks
          where affiliate_id = ${id} and "timestamp" >= ${from} and "timestamp" < ${to} group by 1 order by 2 desc limit 50`,
      sql`select k.sub1, v.status, v.currency, count(*), sum(v.amount)
          from conversions v join clicks k on k.click_id = v.click_id
          where v.affiliate_id = ${id} and v."timestamp" >= ${from} and v."timestamp" < ${to} and v.status <> 'rejected'
          group by 1, 2, 3`,
    ]),
}
