// The chart's time axis: steps of whole hours or days, labels that carry their date, and a
// tick spacing measured from the widest label the axis can show, so that at any width and
// range the labels fit side by side instead of overlapping or vanishing.
import type { Interval } from '@affiliate/contracts'

const HOUR = 3600
export const DAY = 86_400
// uPlot aligns steps of 30 days and more to the first of a month, and of 365 days to years.
const MONTH = 30 * DAY
const YEAR = 365 * DAY

/** Tick steps in seconds, smallest first: uPlot takes the first one whose labels fit. */
export const STEPS: Record<Interval, number[]> = {
  hour: [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 3 * DAY, 7 * DAY, 14 * DAY, 28 * DAY],
  day: [DAY, 2 * DAY, 3 * DAY, 7 * DAY, 14 * DAY, MONTH, 3 * MONTH, 6 * MONTH, YEAR, 2 * YEAR, 5 * YEAR],
}

/** The axis font, set on every axis so that the labels are measured in the font they are drawn in. */
export const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
/** Room between two labels, in CSS pixels. */
const LABEL_GAP = 12

const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', timeZone: 'UTC' })
const date = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' })
const dateWithYear = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
})

const year = (seconds: number) => new Date(seconds * 1000).getUTCFullYear()
/** A range across new year names the year in its dates. */
export const spansYears = (min: number, max: number) => year(min) !== year(max)

/**
 * Labels for ticks `step` seconds apart: dates for steps of a day or more; otherwise the hour,
 * with the date below it on the first tick of each day (UTC, like the buckets).
 */
export function tickLabels(ticks: number[], step: number, withYear: boolean): string[] {
  const dates = withYear ? dateWithYear : date
  let previousDay: string | undefined
  return ticks.map((seconds) => {
    const instant = new Date(seconds * 1000)
    if (step >= DAY) return dates.format(instant)
    const day = instant.toISOString().slice(0, 10)
    const label = day === previousDay ? time.format(instant) : `${time.format(instant)}\n${dates.format(instant)}`
    previousDay = day
    return label
  })
}

let context: CanvasRenderingContext2D | null | undefined

/** The drawn width of `text` in `font`, in CSS pixels. */
export function textWidth(text: string, font = AXIS_FONT): number {
  context ??= document.createElement('canvas').getContext('2d')
  if (!context) return text.length * 8
  context.font = font
  return Math.max(...text.split('\n').map((line) => context!.measureText(line).width))
}

const widest = new Map<boolean, number>()

/** The least distance between two ticks: the widest hour or date this axis can show, and a gap. */
export function tickSpace(withYear: boolean): number {
  let width = widest.get(withYear)
  if (width === undefined) {
    const samples = [
      ...Array.from({ length: 24 }, (_, h) => Date.UTC(2026, 0, 1, h) / 1000),
      ...Array.from({ length: 12 }, (_, m) => Date.UTC(2026, m, 28) / 1000),
    ]
    const labels = [...tickLabels(samples, HOUR, withYear), ...tickLabels(samples, DAY, withYear)]
    width = Math.max(...labels.map((label) => textWidth(label)))
    widest.set(withYear, width)
  }
  return Math.ceil(width) + LABEL_GAP
}
