// Each test gets a database of its own, cloned from a migrated template that
// `pnpm test` prepares: tests run in parallel and never see each other's rows.
// `pnpm test:citus` runs one file at a time in one migrated database instead (Citus has no
// template databases), emptied before each test.
import { randomBytes } from 'node:crypto'
import { loadTestDatabaseShared, loadTestDatabaseUrl } from './config.ts'
import { createSql, databaseUrl, type Sql } from './db.ts'
import {
  DAY_MS,
  DAYS_AHEAD,
  ensurePartitions,
  listPartitions,
  oneConnectionPerNode,
  PARTITIONED_TABLES,
  startOfDay,
} from './partitions.ts'

export const TEMPLATE_DATABASE = 'affiliate_test_template'

interface Teardown {
  teardown(fn: () => unknown): void
}

/** Creates an empty, migrated database, dropped when `t` ends. Returns its URL. */
export async function createTestDatabase(t: Teardown): Promise<string> {
  const serverUrl = loadTestDatabaseUrl()
  if (loadTestDatabaseShared()) {
    const sql = createSql(serverUrl, { max: 1, name: 'affiliate-test-admin' })
    await emptyDatabase(sql).finally(() => sql.end())
    return serverUrl
  }
  const name = `test_${randomBytes(6).toString('hex')}`
  const admin = createSql(serverUrl, { max: 1, name: 'affiliate-test-admin' })
  await admin.unsafe(`create database ${name} template ${TEMPLATE_DATABASE}`)
  t.teardown(async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end()
  })
  return databaseUrl(serverUrl, name)
}

/**
 * Empties every table but the migrations' own, identities restarted, and gives back the
 * partitions a test dropped (the history ones, today's): as freshly migrated, for the next
 * test in a shared database.
 */
export async function emptyDatabase(sql: Sql): Promise<void> {
  // Partitions go with their parent; one TRUNCATE, so foreign keys between the tables hold.
  const tables = await sql<{ name: string }[]>`
    select format('%I', relname) as name from pg_class
    where relnamespace = 'public'::regnamespace and relkind in ('r', 'p') and not relispartition
      and relname <> 'schema_migrations'`
  await sql.unsafe(`truncate ${tables.map((t) => t.name).join(', ')} restart identity`)
  await restorePartitions(sql)
}

/**
 * As many partitions as a fresh migration and ingest's start make: one for every instant up to
 * DAYS_AHEAD days ahead (the history ones back before the first day, today's if dropped),
 * and none further ahead (tests make some for days to come).
 */
async function restorePartitions(sql: Sql): Promise<void> {
  const partitions = await listPartitions(sql)
  const lastDay = startOfDay(new Date()).getTime() + (DAYS_AHEAD + 1) * DAY_MS
  await sql.begin(async (tx) => {
    await oneConnectionPerNode(tx)
    const ahead = partitions.filter((p) => p.from && p.from.getTime() >= lastDay)
    if (ahead.length > 0) await tx`drop table ${tx(ahead.map((p) => p.name))}`
    for (const table of PARTITIONED_TABLES) {
      const first = partitions.find((p) => p.table === table)
      if (!first?.from) continue
      await tx.unsafe(
        `create table ${table}_history partition of ${table} for values from (minvalue) to ('${first.from.toISOString()}')`,
      )
    }
  })
  await ensurePartitions(sql)
}

export interface TestClick {
  click_id: string
  affiliate_id: number
  campaign_id: number
  /** Default: now(). */
  timestamp?: string | Date
  is_bot?: boolean
  sub1?: string | null
  sub2?: string | null
  sub3?: string | null
  sub4?: string | null
  sub5?: string | null
}

/**
 * Stores clicks as ingest does (migration 050): each click's key in click_keys, then its
 * row in the partition of its day (created first when it is ahead of the existing ones).
 */
export async function insertClicks(sql: Sql, clicks: TestClick[]): Promise<void> {
  const latest = Math.max(Date.now(), ...clicks.map((c) => (c.timestamp ? new Date(c.timestamp).getTime() : 0)))
  await ensurePartitions(sql, { now: new Date(latest) })
  // Timestamps travel as text: a JS Date would drop their microseconds.
  const rows = clicks.map((c) => ({ ...c, timestamp: c.timestamp instanceof Date ? c.timestamp.toISOString() : c.timestamp }))
  await sql`
    with rows as (
      select * from json_to_recordset(${JSON.stringify(rows)}::text::json) as r(
        click_id text, affiliate_id int, campaign_id int, "timestamp" timestamptz, is_bot bool,
        sub1 text, sub2 text, sub3 text, sub4 text, sub5 text)
    ), keys as (
      insert into click_keys (click_id, "timestamp", affiliate_id, campaign_id, sub1, sub2, sub3, sub4, sub5)
      select click_id, coalesce("timestamp", now()), affiliate_id, campaign_id, sub1, sub2, sub3, sub4, sub5 from rows
      returning click_id, "timestamp"
    )
    insert into clicks (click_id, "timestamp", affiliate_id, campaign_id, is_bot, sub1, sub2, sub3, sub4, sub5)
    select r.click_id, k."timestamp", r.affiliate_id, r.campaign_id, coalesce(r.is_bot, false),
           r.sub1, r.sub2, r.sub3, r.sub4, r.sub5
    from rows r join keys k using (click_id)`
}

export interface TestConversion {
  click_id: string
  txn_id?: string
  amount: string | number
  currency: string
  status?: string
  /** Default: now(). Text keeps microseconds. */
  timestamp?: string
}

/** Stores conversions of stored clicks, with what they copy of their click (as ingest does). */
export async function insertConversions(sql: Sql, conversions: TestConversion[]): Promise<void> {
  const inserted = await sql`
    insert into conversions (click_id, txn_id, amount, currency, status, "timestamp", affiliate_id, campaign_id,
                             click_timestamp, sub1, sub2, sub3, sub4, sub5)
    select r.click_id, coalesce(r.txn_id, ''), r.amount, r.currency, coalesce(r.status, 'approved'),
           coalesce(r."timestamp", now()), k.affiliate_id, k.campaign_id,
           k."timestamp", k.sub1, k.sub2, k.sub3, k.sub4, k.sub5
    from json_to_recordset(${JSON.stringify(conversions)}::text::json) as r(
      click_id text, txn_id text, amount numeric, currency text, status text, "timestamp" timestamptz)
    join click_keys k using (click_id)`
  if (inserted.count !== conversions.length) throw new Error('insertConversions: a conversion names a click that is not stored')
}

/**
 * Gives a fresh test database daily partitions from `days` days ago on, in place of the
 * (empty) history partitions of migration 050: days that retention can drop in real time.
 */
export async function dailyPartitionsSince(sql: Sql, days: number): Promise<void> {
  await sql`drop table if exists clicks_history, conversions_history`
  await ensurePartitions(sql, { from: new Date(Date.now() - days * DAY_MS) })
}

/**
 * Holds an ACCESS EXCLUSIVE lock on `table` in a transaction of its own, so that everything
 * touching the table waits, until the returned release is called (or the test ends).
 */
export async function lockTable(t: Teardown, sql: Sql, table: string): Promise<() => Promise<void>> {
  const lock = await sql.reserve()
  await lock`begin`
  await lock`lock table ${lock(table)} in access exclusive mode`
  let released = false
  const release = async () => {
    if (released) return
    released = true
    await lock`rollback`
    lock.release()
  }
  t.teardown(release)
  return release
}
