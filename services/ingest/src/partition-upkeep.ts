// Keeps the raw tables' partitions ahead of time and drops the days past RAW_RETENTION_DAYS
// (packages/shared/src/partitions.ts): at start, then hourly, so a day is dropped within an
// hour of expiring. Every replica runs it; advisory locks make one do the work at a time.
import type { FastifyBaseLogger } from 'fastify'
import { dropExpiredDays, ensurePartitions } from '@affiliate/shared/partitions'
import type { Sql } from './db.ts'

const HOUR_MS = 3_600_000

export function createPartitionUpkeep(
  sql: Sql,
  { retentionDays, log, intervalMs = HOUR_MS }: { retentionDays: number; log: FastifyBaseLogger; intervalMs?: number },
) {
  const stopping = new AbortController()
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined

  async function ensure() {
    const created = await ensurePartitions(sql)
    if (created.length > 0) log.info({ created }, 'partitions created')
  }
  async function retain() {
    await dropExpiredDays(sql, {
      retentionDays,
      signal: stopping.signal,
      onDay: ({ partitions, keysDeleted, keysMs, detachMs, dropMs }) =>
        log.info(
          { partitions, keysDeleted, keysMs: Math.round(keysMs), detachMs: Math.round(detachMs), dropMs: Math.round(dropMs) },
          'raw day dropped by retention',
        ),
    })
  }
  // A failure is logged and tried again next hour; writes create a missing partition themselves.
  const run = (steps: (() => Promise<void>)[]) => {
    running ??= (async () => {
      for (const step of steps) await step().catch((err) => log.warn({ err }, 'partition upkeep failed'))
    })().finally(() => (running = undefined))
    return running
  }

  return {
    /** Partitions first (awaited, before the service listens), then retention in the background. */
    async start() {
      await run([ensure])
      void run([retain])
      timer = setInterval(() => void run([ensure, retain]), intervalMs)
      timer.unref()
    },
    async stop() {
      clearInterval(timer)
      stopping.abort()
      await running
    },
  }
}
