// What partitioning (migration 050) costs the hot path, for `pnpm bench`: the click and
// conversion statements ingest sends, driven the way its writers drive them (one batch in
// flight per writer, the next sent when it commits), on two databases of the same server,
// one migrated to 040 (the schema before partitioning) and one to the latest. Rounds
// alternate between them, so that the machine's noise falls on both alike. The service
// around the statements (HTTP, validation, batching) is the same code for both, so rows/s
// of the statements is where a difference can come from; the service figures are `pnpm
// bench`'s main run.
import { createSql, databaseUrl, type Sql } from '@affiliate/shared/db'
import { migrate } from '@affiliate/shared/migrate'
import { seedDemo } from '@affiliate/shared/seed'
import { type NewClick, storeClicks } from '../src/queries/clicks.ts'
import { type NewConversion, storeConversions } from '../src/queries/conversions.ts'
import { TEXT } from '../src/queries/batch.ts'
import * as cpu from './cpu.ts'

const BATCH = 25
const ROUNDS = 4
const ROUND_MS = 3_000

interface Side {
  /** rows/s */
  rate: number
  /** PostgreSQL CPU per row, µs */
  cpu_us: number
}

export interface SchemaComparison {
  batch: number
  rounds: number
  clicks: { unpartitioned: Side; partitioned: Side; cost: number }
  conversions: { unpartitioned: Side; partitioned: Side; cost: number }
}

// The statements ingest sent before migration 050 (services/ingest/src/queries at that
// commit), kept here only to measure against: ON CONFLICT (click_id) on the plain table.
async function storeClicksBefore050(sql: Sql, clicks: NewClick[]) {
  const text = (value: (c: NewClick) => string | null) => sql.array(clicks.map(value), TEXT)
  await sql`
    with inserted as (
      insert into clicks (click_id, affiliate_id, campaign_id, sub1, sub2, sub3, sub4, sub5, is_bot, ip, user_agent, referer)
      select * from unnest(${text((c) => c.click_id)}::text[], ${text((c) => String(c.affiliate_id))}::int[],
        ${text((c) => String(c.campaign_id))}::int[], ${text((c) => c.sub1)}::text[], ${text((c) => c.sub2)}::text[],
        ${text((c) => c.sub3)}::text[], ${text((c) => c.sub4)}::text[], ${text((c) => c.sub5)}::text[],
        ${text((c) => String(c.is_bot))}::bool[], ${text((c) => c.ip)}::inet[], ${text((c) => c.user_agent)}::text[],
        ${text((c) => c.referer)}::text[])
      on conflict (click_id) do nothing
      returning affiliate_id, campaign_id, "timestamp", is_bot
    )
    insert into click_stats_hourly as s (affiliate_id, hour, campaign_id, clicks, bot_clicks)
    select affiliate_id, date_trunc('hour', "timestamp", 'UTC'), campaign_id,
           count(*) filter (where not is_bot), count(*) filter (where is_bot)
    from inserted group by 1, 2, 3 order by 1, 2, 3
    on conflict (affiliate_id, hour, campaign_id) do update
      set clicks = s.clicks + excluded.clicks, bot_clicks = s.bot_clicks + excluded.bot_clicks`
}

async function storeConversionsBefore050(sql: Sql, rows: NewConversion[]) {
  const text = (value: (r: NewConversion) => string | null) => sql.array(rows.map(value), TEXT)
  await sql`
    with inserted as (
      insert into conversions (click_id, txn_id, amount, currency, status, affiliate_id, campaign_id, source_ip, raw_request)
      select u.click_id, u.txn_id, u.amount, u.currency, u.status, k.affiliate_id, k.campaign_id, u.source_ip, u.raw_request
      from unnest(${text((r) => r.click_id)}::text[], ${text((r) => r.txn_id)}::text[],
        ${text((r) => String(r.affiliate_id))}::int[], ${text((r) => r.amount)}::numeric[],
        ${text((r) => r.currency)}::text[], ${text((r) => r.status)}::text[],
        ${text((r) => `{${r.campaign_ids!.join(',')}}`)}::text[], ${text((r) => r.source_ip)}::inet[],
        ${text((r) => r.raw_request)}::jsonb[])
        with ordinality as u(click_id, txn_id, affiliate_id, amount, currency, status, campaign_ids, source_ip, raw_request, n)
      join clicks k on k.click_id = u.click_id and k.affiliate_id = u.affiliate_id
      where k.campaign_id = any(u.campaign_ids::int[]) and k."timestamp" > now() - make_interval(days => 30)
      order by u.n
      on conflict (click_id, txn_id) do nothing
      returning affiliate_id, campaign_id, status, currency, amount, "timestamp"
    )
    insert into conversion_stats_hourly as s (affiliate_id, hour, campaign_id, status, currency, conversions, amount)
    select affiliate_id, date_trunc('hour', "timestamp", 'UTC'), campaign_id, status, currency, count(*), sum(amount)
    from inserted group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
    on conflict (affiliate_id, hour, campaign_id, status, currency) do update
      set conversions = s.conversions + excluded.conversions, amount = s.amount + excluded.amount`
}

const click = (id: string): NewClick => ({
  click_id: id,
  affiliate_id: 1,
  campaign_id: 1,
  sub1: 'bench',
  sub2: null,
  sub3: null,
  sub4: null,
  sub5: null,
  is_bot: false,
  ip: null,
  user_agent: 'Mozilla/5.0 bench',
  referer: null,
})

const conversion = (clickId: string): NewConversion => ({
  click_id: clickId,
  txn_id: '',
  affiliate_id: 3,
  amount: '12.50',
  currency: 'USD',
  status: 'approved',
  campaign_ids: [3],
  source_ip: null,
  raw_request: '{"amount":"12.50"}',
})

interface Rate {
  rows: number
  seconds: number
  /** PostgreSQL's CPU seconds meanwhile (Linux; 0 elsewhere). */
  cpu: number
}

/** Rows stored by `write` with one batch in flight, for `ms`, and PostgreSQL's CPU for them. */
async function rate(
  write: (ids: string[]) => Promise<unknown>,
  next: () => string,
  ms: number,
  postgresPid: number,
): Promise<Rate> {
  const cpuBefore = cpu.supported ? cpu.postgresCpu(postgresPid) : 0
  const started = performance.now()
  let rows = 0
  while (performance.now() - started < ms) {
    await write(Array.from({ length: BATCH }, next))
    rows += BATCH
  }
  const seconds = (performance.now() - started) / 1000
  return { rows, seconds, cpu: cpu.supported ? cpu.postgresCpu(postgresPid) - cpuBefore : 0 }
}

const add = (a: Rate, b: Rate): Rate => ({ rows: a.rows + b.rows, seconds: a.seconds + b.seconds, cpu: a.cpu + b.cpu })
const ZERO: Rate = { rows: 0, seconds: 0, cpu: 0 }

export async function compareSchemas(
  serverUrl: string,
  postgresPid: number,
  log: (line: string) => void,
): Promise<SchemaComparison> {
  const admin = createSql(serverUrl, { max: 1 })
  const open = async (name: string, target?: string) => {
    await admin.unsafe(`create database ${name}`)
    const sql = createSql(databaseUrl(serverUrl, name), { max: 1, name: `bench-${name}` })
    await migrate(sql, { target })
    await seedDemo(sql)
    return sql
  }
  const before = await open('bench_040', '040')
  const after = await open('bench_latest')
  await admin.end()
  // Clicks for the conversions to convert, stored as each schema stores them.
  const converting = 500_000
  await before`insert into clicks (click_id, affiliate_id, campaign_id)
    select 'cv-' || n, 3, 3 from generate_series(1, ${converting}) n`
  await after`with keys as (
      insert into click_keys (click_id, affiliate_id, campaign_id)
      select 'cv-' || n, 3, 3 from generate_series(1, ${converting}) n
      returning click_id, "timestamp", affiliate_id, campaign_id
    ) insert into clicks (click_id, "timestamp", affiliate_id, campaign_id) select * from keys`
  await before`vacuum analyze`
  await after`vacuum analyze`

  const counters = { before: { click: 0, conversion: 0 }, after: { click: 0, conversion: 0 } }
  const sums = { clicks: { before: ZERO, after: ZERO }, conversions: { before: ZERO, after: ZERO } }
  log(`\npartitioning: the hot-path statements, ${BATCH}-row batches, ${ROUNDS} alternating rounds of ${ROUND_MS / 1000}s each`)
  for (let round = 0; round < ROUNDS; round++) {
    sums.clicks.before = add(sums.clicks.before, await rate(
      (ids) => storeClicksBefore050(before, ids.map(click)),
      () => `b-${++counters.before.click}`,
      ROUND_MS,
      postgresPid,
    ))
    sums.clicks.after = add(sums.clicks.after, await rate(
      (ids) => storeClicks(after, ids.map(click)),
      () => `b-${++counters.after.click}`,
      ROUND_MS,
      postgresPid,
    ))
    sums.conversions.before = add(sums.conversions.before, await rate(
      (ids) => storeConversionsBefore050(before, ids.map(conversion)),
      () => `cv-${++counters.before.conversion}`,
      ROUND_MS,
      postgresPid,
    ))
    sums.conversions.after = add(sums.conversions.after, await rate(
      (ids) => storeConversions(after, ids.map(conversion), 30),
      () => `cv-${++counters.after.conversion}`,
      ROUND_MS,
      postgresPid,
    ))
  }
  await Promise.all([before.end(), after.end()])
  const side = (r: Rate): Side => ({ rate: Math.round(r.rows / r.seconds), cpu_us: Math.round((r.cpu / r.rows) * 1e6) })
  const summary = (s: { before: Rate; after: Rate }) => ({
    unpartitioned: side(s.before),
    partitioned: side(s.after),
    cost: 1 - side(s.after).rate / side(s.before).rate,
  })
  const result = { batch: BATCH, rounds: ROUNDS, clicks: summary(sums.clicks), conversions: summary(sums.conversions) }
  for (const [name, r] of Object.entries({ clicks: result.clicks, conversions: result.conversions })) {
    const figures = (s: Side) =>
      `${s.rate.toLocaleString('en').padStart(7)} rows/s${cpu.supported ? `, ${s.cpu_us} µs PostgreSQL CPU a row` : ''}`
    log(
      `  ${name.padEnd(11)} before 050 ${figures(r.unpartitioned)}; partitioned ${figures(r.partitioned)}: ` +
        `partitioning costs ${(r.cost * 100).toFixed(1)}% of rows/s (target ≤ 5%: ${r.cost <= 0.05 ? 'met' : 'MISSED'})`,
    )
  }
  return result
}
