// The reporting window. from is inclusive and to exclusive; both are widened to whole
// UTC hours (from down, to up), the grain of the rollups, and echoed back as used.
import { badParameter } from '@affiliate/http/errors'

export const GRAIN = 'hour'
export const TIME_ZONE = 'UTC'
const HOUR = 3_600_000
const MINUTE = 60_000
const DAY = 24 * HOUR
export const DEFAULT_DAYS = 7

/**
 * The years a date may name. PostgreSQL has no year 0, and a JS Date past 9999 is sent as
 * "+010000-…", which it refuses; 9998 leaves room for an offset and for rounding to up to the hour.
 */
export const YEARS = { min: 2000, max: 9998 } as const

/** A date (UTC midnight) or a date-time with Z or an offset: an instant, never a local time.
 * Its groups are the fields instantOf reads: year, month, day, hour, minute, second, fraction, offset. */
export const INSTANT_PATTERN =
  '^(\\d{4})-(\\d{2})-(\\d{2})(?:T([01]\\d|2[0-3]):([0-5]\\d)(?::([0-5]\\d)(?:\\.(\\d{1,9}))?)?(?:Z|([+-])([01]\\d|2[0-3]):([0-5]\\d)))?$'
const FIELDS = new RegExp(INSTANT_PATTERN)

/**
 * The instant (ms) an ISO-8601 date or date-time names, or undefined when it names none
 * PostgreSQL takes: a year outside YEARS, or fields the calendar lacks (2026-02-30, 24:00).
 * Round-tripped, because Date.parse and Date.UTC roll 2026-02-30 over to March 2: the
 * instant, printed back in its own offset, must name the same fields.
 */
export function instantOf(raw: string): number | undefined {
  const match = FIELDS.exec(raw)
  if (!match) return undefined
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', sign, offsetH, offsetM] = match
  if (Number(year) < YEARS.min || Number(year) > YEARS.max) return undefined
  const fields = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second))
  if (new Date(fields).toISOString().slice(0, 19) !== `${year}-${month}-${day}T${hour}:${minute}:${second}`) {
    return undefined
  }
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(offsetH) * 60 + Number(offsetM)) * MINUTE : 0
  return fields - offset + Number(fraction.padEnd(3, '0').slice(0, 3))
}

export interface Range {
  from: Date
  to: Date
}

function parseInstant(parameter: 'from' | 'to', raw: string): number {
  const ms = instantOf(raw)
  if (ms === undefined) {
    throw badParameter(parameter, `is not a valid ISO-8601 instant in the years ${YEARS.min}–${YEARS.max}: "${raw}"`)
  }
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
