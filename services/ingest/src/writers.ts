// The two group-commit writers, with their metrics. Batch size and flush slots were
// tuned with `pnpm bench` on 2 cores: one write in flight per writer, the next one
// started the moment it commits (before its answers are written), beat two in flight
// (clicks 15.0k/s vs 12.5k/s, postbacks 13.1k/s vs 11.7k/s): two concurrent batches wait
// on each other's rollup row and share the cores; larger batches only grow latency.
import { type Batcher, createBatcher } from './batcher.ts'
import { Overloaded } from '@affiliate/http/errors'
import { withPartitions } from '@affiliate/shared/partitions'
import { isUnavailable, type Sql } from './db.ts'
import { WriteTimeout } from './errors.ts'
import type { IngestMetrics } from './metrics.ts'
import { type ClickOutcome, type NewClick, storeClicks } from './queries/clicks.ts'
import { type ConversionOutcome, type NewConversion, storeConversions } from './queries/conversions.ts'

export const MAX_BATCH = 500
export const FLUSH_SLOTS = 1

/** Stores a click; resolves once it is committed, with what its click_id's row says. */
export type ClickWriter = Batcher<NewClick, ClickOutcome>
/** Stores a conversion; resolves once it is committed, with its documented outcome. */
export type ConversionWriter = Batcher<NewConversion, ConversionOutcome>

export type Writers = ReturnType<typeof createWriters>

export interface WritersOptions {
  metrics: IngestMetrics
  attributionWindowDays: number
  /** WRITE_TIMEOUT_MS: a write not committed by then is answered 503 unavailable. */
  writeTimeoutMs: number
  /** MAX_PENDING_WRITES, per writer: beyond it a write is answered 503 overloaded at once. */
  maxPendingWrites: number
  onError: (error: unknown, size: number) => void
}

export function createWriters(
  sql: Sql,
  { metrics, attributionWindowDays, writeTimeoutMs, maxPendingWrites, onError }: WritersOptions,
) {
  const observe = (writer: string) => {
    const size = metrics.batchSize.labels(writer)
    const seconds = metrics.flushSeconds.labels(writer)
    return (n: number, s: number) => {
      size.observe(n)
      seconds.observe(s)
    }
  }
  const clickCounts = {
    human: metrics.clicksStored.labels('false'),
    bot: metrics.clicksStored.labels('true'),
    duplicate: metrics.duplicates.labels('click'),
  }
  const conversionDuplicates = metrics.duplicates.labels('conversion')
  const bounds = {
    timeout: { ms: writeTimeoutMs, error: () => new WriteTimeout() },
    limit: { pending: maxPendingWrites, error: () => new Overloaded() },
  }

  const clicks: ClickWriter = createBatcher({
    maxBatch: MAX_BATCH,
    slots: FLUSH_SLOTS,
    isUnavailable,
    ...bounds,
    onFlush: observe('clicks'),
    onError,
    write: async (rows) => {
      const outcomes = await withPartitions(sql, () => storeClicks(sql, rows))
      let human = 0
      let bot = 0
      let duplicate = 0
      outcomes.forEach((outcome, i) => {
        if (outcome instanceof Error) return
        if (outcome.status === 'inserted') rows[i]!.is_bot ? bot++ : human++
        else if (outcome.status === 'replay') duplicate++
      })
      clickCounts.human.inc(human)
      clickCounts.bot.inc(bot)
      clickCounts.duplicate.inc(duplicate)
      return outcomes
    },
  })

  const conversions: ConversionWriter = createBatcher({
    maxBatch: MAX_BATCH,
    slots: FLUSH_SLOTS,
    isUnavailable,
    ...bounds,
    onFlush: observe('conversions'),
    onError,
    write: async (rows) => {
      const outcomes = await withPartitions(sql, () => storeConversions(sql, rows, attributionWindowDays))
      let duplicate = 0
      outcomes.forEach((outcome, i) => {
        if (outcome === 'inserted') metrics.conversionsStored.inc({ status: rows[i]!.status })
        else if (outcome === 'duplicate') duplicate++
      })
      conversionDuplicates.inc(duplicate)
      return outcomes
    },
  })

  return {
    clicks,
    conversions,
    drain: () => Promise.all([clicks.drain(), conversions.drain()]),
  }
}
