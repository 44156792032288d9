import type { Interval, Timeseries } from '@affiliate/contracts'
import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import { Panel } from '../../components/panel.tsx'
import { Skeleton } from '../../components/skeleton.tsx'
import { ErrorState } from '../../components/states.tsx'
import { formatBucket, formatBucketRange, formatCount, formatCountOf } from '../../format.ts'
import { type Range, timeseriesQuery } from '../../queries.ts'
import UplotChart from './uplot-chart.tsx'

const HOUR_MS = 3_600_000

/** The range's buckets up to the current one: hours still to come are not zeros. */
function pastBuckets(data: Timeseries, currentHour: number) {
  const items = data.items.filter((b) => Date.parse(b.bucket) < (currentHour + 1) * HOUR_MS)
  return {
    items,
    times: items.map((b) => Date.parse(b.bucket) / 1000),
    clicks: items.map((b) => b.clicks),
    conversions: items.map((b) => b.conversions),
  }
}

function Series({ data }: { data: Timeseries }) {
  // Re-rendered on every refresh, so the series grows when a new hour begins.
  const currentHour = Math.floor(Date.now() / HOUR_MS)
  const { items, ...series } = useMemo(() => pastBuckets(data, currentHour), [data, currentHour])
  const totalClicks = series.clicks.reduce((a, b) => a + b, 0)
  const totalConversions = series.conversions.reduce((a, b) => a + b, 0)
  const unit = data.interval === 'hour' ? 'hour' : 'day'
  const step = unit === 'hour' ? HOUR_MS : 24 * HOUR_MS
  const first = Date.parse(data.from) / 1000
  const last = (Date.parse(data.to) - step) / 1000
  const shown = items.length > 0 ? formatBucketRange(items[0]!.bucket, items.at(-1)!.bucket, data.interval) : ''
  return (
    <figure>
      <figcaption className="sr-only">
        Clicks and conversions per {unit}: {formatCountOf(totalClicks, { one: 'click', other: 'clicks' })} and{' '}
        {formatCountOf(totalConversions, { one: 'conversion', other: 'conversions' })} in{' '}
        {formatCountOf(items.length, { one: unit, other: `${unit}s` })}. The table below lists every {unit}.
      </figcaption>
      {totalClicks + totalConversions === 0 && (
        <p className="mb-2 text-sm text-slate-500">No clicks or conversions in this range yet.</p>
      )}
      <UplotChart {...series} interval={data.interval} first={first} last={last} restLabel={`${shown} (total)`} />
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-slate-600">Show as table</summary>
        <div className="mt-2 max-h-72 overflow-auto">
          <table className="w-full">
            <caption className="sr-only">Clicks and conversions per {unit} (UTC)</caption>
            <thead>
              <tr className="text-left text-slate-500">
                <th scope="col" className="py-1 font-medium">
                  {unit === 'hour' ? 'Hour' : 'Day'} (UTC)
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  Clicks
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  Conversions
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((b, i) => (
                <tr key={b.bucket} className="border-t border-slate-100">
                  <th scope="row" className="py-1 text-left font-normal">
                    {formatBucket(b.bucket, data.interval)}
                  </th>
                  <td className="py-1 text-right tabular-nums">{formatCount(series.clicks[i]!)}</td>
                  <td className="py-1 text-right tabular-nums">{formatCount(series.conversions[i]!)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  )
}

function SeriesView({ affiliateId, range, interval }: { affiliateId: number; range: Range; interval: Interval }) {
  const { data, error, isPending, isLoadingError, refetch } = useQuery(timeseriesQuery(affiliateId, range, interval))
  if (isPending) return <Skeleton className="h-[260px] w-full" />
  if (isLoadingError) return <ErrorState what="the chart" error={error} onRetry={() => void refetch()} />
  return <Series data={data} />
}

interface Props {
  affiliateId: number
  range: Range
  interval: Interval
  /** Intervals the range allows, offered as toggles. */
  intervals: Interval[]
  onIntervalChange: (interval: Interval) => void
}

export function TimeseriesChart({ intervals, onIntervalChange, ...props }: Props) {
  const toggles = intervals.length > 1 && (
    <div role="group" aria-label="Bucket size" className="flex gap-1">
      {intervals.map((interval) => (
        <button
          key={interval}
          type="button"
          aria-pressed={interval === props.interval}
          onClick={() => onIntervalChange(interval)}
          className={`rounded-md px-2 py-1 text-xs font-medium ${interval === props.interval ? 'bg-slate-900 text-white' : 'text-slate-600 ring-1 ring-slate-300 hover:bg-slate-100'}`}
        >
          {interval === 'hour' ? 'Hourly' : 'Daily'}
        </button>
      ))}
    </div>
  )
  return (
    <Panel title={`Clicks and conversions per ${props.interval}`} actions={toggles}>
      <SeriesView {...props} />
    </Panel>
  )
}
