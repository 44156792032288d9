// uPlot (~20 kB gzipped, canvas) draws the series; the accessible reading of the same
// figures is the data table beside it (timeseries-chart.tsx).
import type { Interval } from '@affiliate/contracts'
import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { formatBucket, formatCount } from '../../format.ts'
import { AXIS_FONT, DAY, STEPS, spansYears, textWidth, tickLabels, tickSpace } from './time-axis.ts'

interface Props {
  /** Bucket starts, in seconds since the epoch; up to the current hour, never later. */
  times: number[]
  clicks: number[]
  conversions: number[]
  interval: Interval
  /** First and last bucket start of the range shown, in seconds: the axis spans it even where no bucket is yet. */
  first: number
  last: number
  /** What the legend says for the x value when the pointer is not on a bucket, e.g. "Nov 18 – 24 (total)". */
  restLabel: string
}

const HEIGHT = 260
const BLUE = '#2563eb'
const GREEN = '#16a34a'

// Counts are whole numbers: no "0.5 conversions" tick, and thousands separated as the user reads them.
const COUNT_STEPS = [1, 2, 5].flatMap((n) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7].map((p) => n * p)).sort((a, b) => a - b)
const countLabels = (_u: uPlot, splits: number[]) => splits.map((n) => formatCount(n))
// A count axis as wide as its widest label (plus uPlot's 10 px tick and 5 px gap), not a fixed 50 px.
const countAxisSize = (_u: uPlot, values: string[] | undefined) =>
  values ? Math.ceil(Math.max(0, ...values.map((v) => textWidth(v)))) + 20 : 50

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)

/** The x labels of the last drawing, where they were drawn: a canvas has no text to read, tests have these. */
interface DrawnTicks {
  font: string
  ticks: { t: number; label: string; x: number }[]
}

function options(props: Props, width: number, onTicks: (ticks: DrawnTicks['ticks']) => void): uPlot.Options {
  const { interval, first, last, restLabel } = props
  const step = interval === 'hour' ? 3600 : DAY
  const withYear = spansYears(first, last)
  const totals = [sum(props.clicks), sum(props.conversions)]
  const count = (idx: number | null, raw: number, total: number) => formatCount(idx === null ? total : raw)
  let labelled: { t: number; label: string }[] = []
  return {
    width,
    height: HEIGHT,
    // Buckets are UTC hours/days: label them in UTC, as the rest of the dashboard does.
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: {
      // The whole range, and half a bucket of room on each side so that the first and last bars are whole.
      x: { time: true, range: () => [first - step / 2, last + step / 2] },
      clicks: { range: (_u, _min, max) => [0, Math.max(1, max)] },
      conversions: { range: (_u, _min, max) => [0, Math.max(1, max)] },
    },
    series: [
      {
        label: interval === 'hour' ? 'Hour (UTC)' : 'Day (UTC)',
        value: (_u, raw, _s, idx) => (idx === null ? restLabel : formatBucket(new Date(raw * 1000).toISOString(), interval)),
      },
      {
        label: 'Clicks',
        scale: 'clicks',
        stroke: BLUE,
        fill: 'rgba(37, 99, 235, 0.25)',
        paths: uPlot.paths.bars!({ size: [0.7, 40] }),
        points: { show: false },
        value: (_u, raw, _s, idx) => count(idx, raw, totals[0]!),
      },
      {
        label: 'Conversions',
        scale: 'conversions',
        stroke: GREEN,
        width: 2,
        points: { show: true, size: 5, fill: GREEN },
        value: (_u, raw, _s, idx) => count(idx, raw, totals[1]!),
      },
    ],
    axes: [
      {
        font: AXIS_FONT,
        incrs: STEPS[interval],
        space: () => tickSpace(withYear),
        values: (_u, splits, _axis, _space, incr) => {
          const labels = tickLabels(splits, incr, withYear)
          labelled = splits.map((t, i) => ({ t, label: labels[i]! }))
          return labels
        },
      },
      {
        scale: 'clicks',
        font: AXIS_FONT,
        size: countAxisSize,
        stroke: BLUE,
        grid: { stroke: '#e2e8f0' },
        incrs: COUNT_STEPS,
        values: countLabels,
      },
      {
        scale: 'conversions',
        side: 1,
        font: AXIS_FONT,
        size: countAxisSize,
        stroke: GREEN,
        grid: { show: false },
        incrs: COUNT_STEPS,
        values: countLabels,
      },
    ],
    cursor: { drag: { x: false, y: false } },
    hooks: {
      draw: [(u) => onTicks(labelled.map((tick) => ({ ...tick, x: u.over.offsetLeft + u.valToPos(tick.t, 'x') })))],
    },
  }
}

export default function UplotChart({ times, clicks, conversions, interval, first, last, restLabel }: Props) {
  const container = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const element = container.current
    if (!element) return
    const onTicks = (ticks: DrawnTicks['ticks']) => {
      element.dataset.ticks = JSON.stringify({ font: AXIS_FONT, ticks } satisfies DrawnTicks)
    }
    const chart = { times, clicks, conversions, interval, first, last, restLabel }
    const plot = new uPlot(options(chart, element.clientWidth, onTicks), [times, clicks, conversions], element)
    const observer = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height: HEIGHT }))
    observer.observe(element)
    return () => {
      observer.disconnect()
      plot.destroy()
    }
  }, [times, clicks, conversions, interval, first, last, restLabel])
  return <div ref={container} aria-hidden="true" className="w-full" />
}
