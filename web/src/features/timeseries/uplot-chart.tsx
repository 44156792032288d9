// uPlot (~20 kB gzipped, canvas) draws the series; the accessible reading of the same
// figures is the data table beside it (timeseries-chart.tsx).
import type { Interval } from '@affiliate/contracts'
import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { formatCount } from '../../format.ts'

interface Props {
  /** Bucket starts, in seconds since the epoch. */
  times: number[]
  clicks: number[]
  conversions: number[]
  interval: Interval
}

const HEIGHT = 260
const BLUE = '#2563eb'
const GREEN = '#16a34a'

const HOUR = 3600
const DAY = 86_400
// Tick steps, in seconds: whole hours or whole days, never "8am" on a chart of days.
const STEPS: Record<Interval, number[]> = {
  hour: [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY],
  day: [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY],
}
const TICK_FORMAT: Record<Interval, Intl.DateTimeFormatOptions> = {
  hour: { hour: 'numeric', timeZone: 'UTC' },
  day: { month: 'short', day: 'numeric', timeZone: 'UTC' },
}

// Counts are whole numbers: no "0.5 conversions" tick, and thousands separated as the user reads them.
const COUNT_STEPS = [1, 2, 5].flatMap((n) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7].map((p) => n * p)).sort((a, b) => a - b)
const countLabels = (_u: uPlot, splits: number[]) => splits.map((n) => formatCount(n))

function options(width: number, interval: Interval): uPlot.Options {
  const step = interval === 'hour' ? HOUR : DAY
  const ticks = new Intl.DateTimeFormat(undefined, TICK_FORMAT[interval])
  return {
    width,
    height: HEIGHT,
    // Buckets are UTC hours/days: label them in UTC, as the rest of the dashboard does.
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: {
      // Half a bucket of room on each side, so the first and last bars are whole.
      x: { time: true, range: (_u, min, max) => [min - step / 2, max + step / 2] },
      clicks: { range: (_u, _min, max) => [0, Math.max(1, max)] },
      conversions: { range: (_u, _min, max) => [0, Math.max(1, max)] },
    },
    series: [
      { label: interval === 'hour' ? 'Hour (UTC)' : 'Day (UTC)' },
      {
        label: 'Clicks',
        scale: 'clicks',
        stroke: BLUE,
        fill: 'rgba(37, 99, 235, 0.25)',
        paths: uPlot.paths.bars!({ size: [0.7, 40] }),
        points: { show: false },
      },
      {
        label: 'Conversions',
        scale: 'conversions',
        stroke: GREEN,
        width: 2,
        points: { show: true, size: 5, fill: GREEN },
      },
    ],
    axes: [
      { incrs: STEPS[interval], values: (_u, splits) => splits.map((t) => ticks.format(new Date(t * 1000))) },
      { scale: 'clicks', stroke: BLUE, grid: { stroke: '#e2e8f0' }, incrs: COUNT_STEPS, values: countLabels },
      { scale: 'conversions', side: 1, stroke: GREEN, grid: { show: false }, incrs: COUNT_STEPS, values: countLabels },
    ],
    cursor: { drag: { x: false, y: false } },
  }
}

export default function UplotChart({ times, clicks, conversions, interval }: Props) {
  const container = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const element = container.current
    if (!element) return
    const plot = new uPlot(options(element.clientWidth, interval), [times, clicks, conversions], element)
    const observer = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height: HEIGHT }))
    observer.observe(element)
    return () => {
      observer.disconnect()
      plot.destroy()
    }
  }, [times, clicks, conversions, interval])
  return <div ref={container} aria-hidden="true" className="w-full" />
}
