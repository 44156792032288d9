// The reporting window. from is inclusive and to exclusive; both are widened to whole
// UTC hours (from down, to up), the grain of the rollups, and echoed back as used.
import { badParameter } from '@affiliate/http/errors'

export const GRAIN = 'hour'
export const TIME_ZONE = 'UTC'
const HOUR = 3_600_000
const DAY = 24 * HOUR
export const DEFAULT_DAYS = 7

/** A date (UTC midnight) or a date-time with Z or an offset: an instant, never a local time. */
export const INSTANT_PATTERN =
  '^\\d{4}-\\d{2}-\\d{2}(T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d))?$'

export interface Range {
  from: Date
  to: Date
}

function parseInstant(parameter: 'from' | 'to', raw: string): number {
  const [year, month, day] = raw.slice(0, 10).split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(year, month - 1, day))
  // Date.UTC rolls 2026-02-30 over to March; a real date survives the round trip.
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  const ms = Date.parse(raw)
  if (!real || Number.isNaN(ms)) throw badParameter(parameter, `is not a valid ISO-8601 instant: "${raw}"`)
  return ms
}

export function parseRange(query: { from?: string; to?: string }, now = Date.now(), maxDays?: number): Range {
  const rawTo = query.to === undefined ? undefined : parseInstant('to', query.to)
  const rawFrom = query.from === undefined ? undefined : parseInstant('from', query.from)
  const to = Math.ceil((rawTo ?? now) / HOUR) * HOUR
  const from = rawFrom === undefined ? to - DEFAULT_DAYS * DAY : Math.floor(rawFrom / HOUR) * HOUR
  if (rawFrom !== undefined && rawFrom >= (rawTo ?? now)) {
    throw badParameter('from', rawTo === undefined ? 'must be in the past (to defaults to now)' : 'must be before to')
  }
  if (maxDays !== undefined && to - from > maxDays * DAY) {
    throw badParameter('to', `must be at most ${maxDays} days after from`)
  }
  return { from: new Date(from), to: new Date(to) }
}

/** What every ranged response echoes. */
export function echoRange(range: Range) {
  return { from: range.from.toISOString(), to: range.to.toISOString(), grain: GRAIN, tz: TIME_ZONE } as const
}
