// Date ranges are whole UTC days, like the API's buckets (rollups are hourly in UTC):
// the dashboard never shows a day that the API would cut differently.
import type { Interval } from '@affiliate/contracts'

export const Presets = { today: 'Today', '7d': 'Last 7 days', '30d': 'Last 30 days' } as const
export type Preset = keyof typeof Presets
const PRESET_DAYS: Record<Preset, number> = { today: 1, '7d': 7, '30d': 30 }
export const DEFAULT_PRESET: Preset = '7d'

export interface DateRange {
  preset: Preset | 'custom'
  /** First day, YYYY-MM-DD (UTC). */
  start: string
  /** Last day, inclusive, YYYY-MM-DD (UTC). */
  end: string
}

const DAY_MS = 86_400_000
const DATE = /^\d{4}-\d{2}-\d{2}$/

export const todayUtc = (now = new Date()) => now.toISOString().slice(0, 10)

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

function isDay(value: string | null): value is string {
  return value !== null && DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
}

export function presetRange(preset: Preset, today: string): DateRange {
  return { preset, start: addDays(today, 1 - PRESET_DAYS[preset]), end: today }
}

/** `?range=7d`, or `?from=2026-11-01&to=2026-11-24` (both days inclusive); anything else is the default. */
export function rangeFromParams(params: URLSearchParams, today: string): DateRange {
  const from = params.get('from')
  const to = params.get('to')
  if (isDay(from) && isDay(to) && from <= to) return { preset: 'custom', start: from, end: to }
  const preset = params.get('range')
  return presetRange(preset !== null && preset in Presets ? (preset as Preset) : DEFAULT_PRESET, today)
}

export function rangeToParams(range: DateRange): Record<string, string | undefined> {
  if (range.preset === 'custom') return { range: undefined, from: range.start, to: range.end }
  return { range: range.preset, from: undefined, to: undefined }
}

/** The API's half-open interval of instants: [start 00:00Z, end + 1 day 00:00Z). */
export function apiRange(range: DateRange): { from: string; to: string } {
  return { from: `${range.start}T00:00:00.000Z`, to: `${addDays(range.end, 1)}T00:00:00.000Z` }
}

export function rangeDays(range: DateRange): number {
  return Math.round((Date.parse(range.end) - Date.parse(range.start)) / DAY_MS) + 1
}

/** Hour buckets are offered up to this many days (744 bars is already dense). */
export const MAX_HOURLY_DAYS = 31

/**
 * The chart's buckets: `?interval=hour|day` when it fits the range, else hours up to two
 * days and days beyond — a chart of 24–48 or up to ~90 points.
 */
export function intervalFor(range: DateRange, wanted: string | null): Interval {
  if (wanted === 'day' || (wanted === 'hour' && rangeDays(range) <= MAX_HOURLY_DAYS)) return wanted
  return rangeDays(range) <= 2 ? 'hour' : 'day'
}
