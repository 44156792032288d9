// The lifecycle of raw rows (migration 050): clicks and conversions are partitioned by
// UTC day, on the click's time. Partitions are created days ahead, so that no write ever
// finds its day missing, and retention drops whole days: the keys of the day's clicks
// are deleted from click_keys a window of time at a time (after which a click_id may be used
// again), then the day's two partitions are dropped together, a catalogue change.
// Ingest runs both at start and hourly (services/ingest/src/partition-upkeep.ts);
// `pnpm manage retention` runs retention on demand.
import type { TransactionSql } from 'postgres'
import type { Sql } from './db.ts'

export const PARTITIONED_TABLES = ['clicks', 'conversions'] as const
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number]

/** Days after today that always have partitions ("at least the next 2 days"). */
export const DAYS_AHEAD = 3
export const DAY_MS = 86_400_000
// Keys are deleted by windows of click time holding about this many (see deleteKeys).
const KEYS_PER_DELETE = 50_000
const KEY_WINDOW_MS = 60_000
// DROP TABLE of a partition takes an ACCESS EXCLUSIVE lock on its parent for a moment. If
// a long report holds the table, waiting would queue every write behind the drop; it gives
// up after this and tries again instead.
const DROP_LOCK_TIMEOUT_MS = 200
const DROP_ATTEMPTS = 25

// Keys of pg_advisory_lock: one maintenance at a time across replicas.
const CREATE_LOCK = 0x61666670 // 'affp'
const RETENTION_LOCK = 0x61666672 // 'affr'

export interface Partition {
  table: PartitionedTable
  name: string
  /** null: MINVALUE (the history partition of migration 050). */
  from: Date | null
  to: Date
}

/** The partitions of clicks and conversions with their bounds, oldest first. */
export async function listPartitions(sql: Sql | TransactionSql): Promise<Partition[]> {
  const rows = await sql<{ table: PartitionedTable; name: string; from: Date | null; to: Date }[]>`
    with bounds as (
      select parent.relname as table, child.relname as name,
             regexp_match(pg_get_expr(child.relpartbound, child.oid), 'FROM [(]''?([^'')]*)''?[)] TO [(]''?([^'')]*)''?[)]') as b
      from pg_inherits i
      join pg_class parent on parent.oid = i.inhparent
      join pg_class child on child.oid = i.inhrelid
      where parent.oid in ('clicks'::regclass, 'conversions'::regclass)
    )
    select "table", name, nullif(b[1], 'MINVALUE')::timestamptz as "from", b[2]::timestamptz as "to"
    from bounds
    order by "from" nulls first, "table"`
  return rows
}

export const startOfDay = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS)
const dayName = (table: string, day: Date) => `${table}_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`

/** The database's clock: rows are stamped by it, so their partitions follow it too. */
async function databaseNow(sql: Sql): Promise<Date> {
  const [row] = await sql<{ now: Date }[]>`select now()`
  return row!.now
}

/**
 * Creates the daily partitions of both tables from `from` (default: today) through
 * `DAYS_AHEAD` days after `now`, skipping days an existing partition covers. Returns the
 * names created. Safe to run from every replica at once.
 */
export async function ensurePartitions(sql: Sql, options: { now?: Date; from?: Date } = {}): Promise<string[]> {
  const now = options.now ?? (await databaseNow(sql))
  const first = startOfDay(options.from ?? now)
  const last = startOfDay(now).getTime() + DAYS_AHEAD * DAY_MS
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${CREATE_LOCK})`
    await oneConnectionPerNode(tx)
    const existing = await listPartitions(tx)
    const created: string[] = []
    for (let day = first.getTime(); day <= last; day += DAY_MS) {
      const from = new Date(day)
      const to = new Date(day + DAY_MS)
      for (const table of PARTITIONED_TABLES) {
        const covered = existing.some((p) => p.table === table && (p.from ?? -Infinity) <= from && p.to >= to)
        if (covered) continue
        const name = dayName(table, from)
        // Insert-only: vacuum after every 1% of new rows, so index-only scans stay cheap (as migration 022).
        const storage = table === 'clicks' ? 'with (autovacuum_vacuum_insert_scale_factor = 0.01)' : ''
        await tx.unsafe(
          `create table ${name} partition of ${table} for values from ('${from.toISOString()}') to ('${to.toISOString()}') ${storage}`,
        )
        created.push(name)
      }
    }
    return created
  })
}

/**
 * For the rest of the transaction: on Citus, DDL on tables with foreign keys to reference
 * tables must use one connection per node; elsewhere the setting is an unused placeholder.
 */
export async function oneConnectionPerNode(tx: Sql | TransactionSql): Promise<void> {
  await tx`select set_config('citus.multi_shard_modify_mode', 'sequential', true)`
}

/** A write refused for want of a partition (23514 "no partition of relation … found for row"). */
export function isMissingPartition(error: unknown): boolean {
  const e = error as { code?: string; message?: string }
  return e?.code === '23514' && typeof e.message === 'string' && e.message.startsWith('no partition of relation')
}

/**
 * Runs a write (one statement, so a refusal changed nothing); should its day have no
 * partition (upkeep has not run for days), creates the partitions and runs it once more.
 */
export async function withPartitions<T>(sql: Sql, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (!isMissingPartition(error)) throw error
    await ensurePartitions(sql)
    return write()
  }
}

/** The time before which raw rows are dropped; null when RAW_RETENTION_DAYS is 0 (keep everything). */
export function retentionCut(now: Date, retentionDays: number): Date | null {
  return retentionDays === 0 ? null : new Date(now.getTime() - retentionDays * DAY_MS)
}

export interface ExpiredDay {
  /** null for the history partition (everything before `to`). */
  from: Date | null
  to: Date
  partitions: string[]
  /** Clicks held by the day's clicks partition (an estimate from the planner's statistics). */
  clicks: number
}

/** The days wholly older than the retention cut: what retention drops. */
export async function expiredDays(sql: Sql, options: { now?: Date; retentionDays: number }): Promise<ExpiredDay[]> {
  const cut = retentionCut(options.now ?? (await databaseNow(sql)), options.retentionDays)
  if (cut === null) return []
  const byBound = new Map<number, ExpiredDay>()
  for (const p of await listPartitions(sql)) {
    if (p.to > cut) continue
    const day = byBound.get(p.to.getTime()) ?? { from: p.from, to: p.to, partitions: [], clicks: 0 }
    day.partitions.push(p.name)
    byBound.set(p.to.getTime(), day)
  }
  const days = [...byBound.values()]
  for (const day of days) {
    const clicks = day.partitions.find((name) => name.startsWith('clicks_'))
    if (clicks === undefined) continue
    const [row] = await sql<{ n: number }[]>`select greatest(reltuples, 0)::float8 as n from pg_class where relname = ${clicks}`
    day.clicks = row?.n ?? 0
  }
  return days
}

export interface DroppedDay extends ExpiredDay {
  keysDeleted: number
  /** How long detaching the day's partitions took, in ms: the one moment writes wait behind. */
  detachMs: number
  /** How long dropping the detached tables (their files) took afterwards, in ms; nothing waits on it. */
  dropMs: number
  /** How long deleting the day's click keys took, in ms. */
  keysMs: number
}

/**
 * Drops the expired days, oldest first. Runs in one replica at a time; returns [] at once
 * when another holds the lock.
 */
export async function dropExpiredDays(
  sql: Sql,
  options: { now?: Date; retentionDays: number; onDay?: (day: DroppedDay) => void; signal?: AbortSignal },
): Promise<DroppedDay[]> {
  const conn = await sql.reserve()
  try {
    const [lock] = await conn<{ ok: boolean }[]>`select pg_try_advisory_lock(${RETENTION_LOCK}) as ok`
    if (!lock!.ok) return []
    try {
      await dropDetached(conn)
      const dropped: DroppedDay[] = []
      for (const day of await expiredDays(conn, options)) {
        const keysStarted = performance.now()
        const keysDeleted = await deleteKeys(conn, day, options.signal)
        // Stopped between batches (the service is shutting down): the next run goes on from here.
        if (options.signal?.aborted) break
        const keysMs = performance.now() - keysStarted
        const done = { ...day, keysDeleted, keysMs, ...(await dropPartitions(conn, day)) }
        options.onDay?.(done)
        dropped.push(done)
      }
      return dropped
    } finally {
      await conn`select pg_advisory_unlock(${RETENTION_LOCK})`
    }
  } finally {
    conn.release()
  }
}

// About KEYS_PER_DELETE keys per DELETE, by a window of click time found through
// click_keys_timestamp_brin: short transactions that ingest's writes interleave with, and
// few commits. Each window is sized from the last one's count (at most ×2, at least ×½, up
// to a day), so quiet spans, and the years a history partition may cover, pass quickly. A
// key is deleted by its click's time: a click_id used again after its key went has a new
// key, which stays.
async function deleteKeys(sql: Sql, day: ExpiredDay, signal?: AbortSignal): Promise<number> {
  const from = day.from ?? (await oldestKey(sql, day.to))
  let deleted = 0
  if (from === null) return deleted
  let window = KEY_WINDOW_MS
  for (let at = from.getTime(); at < day.to.getTime() && !signal?.aborted; ) {
    const until = Math.min(at + window, day.to.getTime())
    const { count } = await sql`
      delete from click_keys where "timestamp" >= ${new Date(at)} and "timestamp" < ${new Date(until)}`
    deleted += count
    const scale = Math.min(2, Math.max(0.5, KEYS_PER_DELETE / Math.max(count, 1)))
    window = Math.min(DAY_MS, Math.max(1_000, window * scale))
    at = until
  }
  return deleted
}

// The history partition has no lower bound: its keys start at the oldest one.
async function oldestKey(sql: Sql, before: Date): Promise<Date | null> {
  const [row] = await sql<{ at: Date | null }[]>`select min("timestamp") as at from click_keys where "timestamp" < ${before}`
  return row!.at
}

// One short transaction detaches the day of both tables and records it in raw_retention:
// nothing is ever left half-dropped or dropped unrecorded, and the ACCESS EXCLUSIVE lock on
// the parents that writes wait behind is held for catalogue changes only. The detached
// tables are dropped after it, when no write waits on them (removing a day's files takes a
// second or more); should that not happen, the next run drops them first. `sql` is one
// reserved connection.
async function dropPartitions(sql: Sql, day: ExpiredDay): Promise<{ detachMs: number; dropMs: number }> {
  const started = performance.now()
  for (let attempt = 1; ; attempt++) {
    try {
      await sql`begin`
      await sql.unsafe(`set local lock_timeout = ${DROP_LOCK_TIMEOUT_MS}`)
      // Citus: DDL on distributed tables beside a write to a reference table, in one transaction.
      await oneConnectionPerNode(sql)
      for (const name of day.partitions) {
        await sql`alter table ${sql(tableOf(name))} detach partition ${sql(name)}`
      }
      await sql`
        insert into raw_retention (dropped_before) values (${day.to})
        on conflict (id) do update set dropped_before = greatest(raw_retention.dropped_before, excluded.dropped_before)`
      await sql`commit`
      break
    } catch (error) {
      await sql`rollback`.catch(() => {})
      // 55P03 lock_not_available: a long reader holds the table; let the writes through and try again.
      if ((error as { code?: string }).code !== '55P03' || attempt === DROP_ATTEMPTS) throw error
      await new Promise((resolve) => setTimeout(resolve, attempt * 100))
    }
  }
  const detached = performance.now()
  await sql`drop table ${sql(day.partitions)}`
  return { detachMs: detached - started, dropMs: performance.now() - detached }
}

const tableOf = (partition: string) => (partition.startsWith('clicks_') ? 'clicks' : 'conversions')

// Days detached by a run that stopped before dropping them: tables named like partitions
// that are no partition of anything.
async function dropDetached(sql: Sql): Promise<void> {
  const rows = await sql<{ name: string }[]>`
    select relname as name from pg_class
    where relkind = 'r' and not relispartition and relnamespace = current_schema()::regnamespace
      and relname ~ '^(clicks|conversions)_(p[0-9]{8}|history)$'`
  if (rows.length > 0) await sql`drop table ${sql(rows.map((r) => r.name))}`
}

/** Raw rows before this time were dropped by retention (null: none ever were). */
export async function droppedBefore(sql: Sql): Promise<Date | null> {
  const [row] = await sql<{ dropped_before: Date }[]>`select dropped_before from raw_retention`
  return row?.dropped_before ?? null
}
