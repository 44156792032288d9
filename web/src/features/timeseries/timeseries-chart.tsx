import type { Interval, Timeseries } from '@affiliate/contracts'
import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import { Panel } from '../../components/panel.tsx'
import { Skeleton } from '../../components/skeleton.tsx'
import { ErrorState } from '../../components/states.tsx'
import { formatBucket, formatCount } from '../../format.ts'
import { type Range, timeseriesQuery } from '../../queries.ts'
import UplotChart from './uplot-chart.tsx'

function Series({ data }: { data: Timeseries }) {
  const series = useMemo(
    () => ({
      times: data.items.map((b) => Date.parse(b.bucket) / 1000),
      clicks: data.items.map((b) => b.clicks),
      conversions: data.items.map((b) => b.conversions),
    }),
    [data],
  )
  const totalClicks = series.clicks.reduce((a, b) => a + b, 0)
  const totalConversions = series.conversions.reduce((a, b) => a + b, 0)
  const unit = data.interval === 'hour' ? 'hour' : 'day'
  return (
    <figure>
      <figcaption className="sr-only">
        Clicks and conversions per {unit}: {formatCount(totalClicks)} clicks and {formatCount(totalConversions)}{' '}
        conversions in {data.items.length} {unit}s. The table below lists every {unit}.
      </figcaption>
      {totalClicks + totalConversions === 0 && (
        <p className="mb-2 text-sm text-slate-500">No clicks or conversions in this range yet.</p>
      )}
      <UplotChart {...series} interval={data.interval} />
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
              {data.items.map((b, i) => (
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
  const { data, error, isPending, refetch } = useQuery(timeseriesQuery(affiliateId, range, interval))
  if (isPending) return <Skeleton className="h-[260px] w-full" />
  if (error) return <ErrorState what="the chart" error={error} onRetry={() => void refetch()} />
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
