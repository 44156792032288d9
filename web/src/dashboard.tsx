// One affiliate's dashboard: the range picker and the panels, one under the other. A single
// column at every width: side by side, a tall panel left a gap beside the shorter one.
import { SubIdBreakdown } from './features/breakdown/sub-id-breakdown.tsx'
import { CampaignTable } from './features/campaigns/campaign-table.tsx'
import { ConversionsList } from './features/conversions/conversions-list.tsx'
import { OffersPanel } from './features/offers/offers-panel.tsx'
import { PostbackPanel } from './features/postback/postback-panel.tsx'
import { DateRangePicker } from './features/range/date-range-picker.tsx'
import { type DateRange, intervalFor, MAX_HOURLY_DAYS, rangeDays, rangeToParams } from './features/range/range.ts'
import { StaleNotice, useStale } from './features/refresh/stale-notice.tsx'
import { SummaryCards } from './features/summary/summary-cards.tsx'
import { TimeseriesChart } from './features/timeseries/timeseries-chart.tsx'
import type { Range } from './queries.ts'
import { updateSearchParams } from './url-state.ts'

interface Props {
  affiliateId: number
  range: DateRange
  /** The same range as the API's instants. */
  instants: Range
  /** ?interval= as the URL has it. */
  interval: string | null
}

export function Dashboard({ affiliateId, range, instants, interval }: Props) {
  const stale = useStale(affiliateId, instants)
  return (
    <>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <DateRangePicker range={range} onChange={(next) => updateSearchParams(rangeToParams(next))} />
        <p className="text-xs text-slate-500">Days and hours are UTC.</p>
      </div>
      {stale && <StaleNotice stale={stale} />}
      <SummaryCards affiliateId={affiliateId} range={instants} />
      <TimeseriesChart
        affiliateId={affiliateId}
        range={instants}
        interval={intervalFor(range, interval)}
        intervals={rangeDays(range) <= MAX_HOURLY_DAYS ? ['hour', 'day'] : ['day']}
        onIntervalChange={(next) => updateSearchParams({ interval: next })}
      />
      <CampaignTable affiliateId={affiliateId} range={instants} />
      <OffersPanel affiliateId={affiliateId} />
      <SubIdBreakdown affiliateId={affiliateId} range={instants} />
      <ConversionsList affiliateId={affiliateId} range={instants} />
      <PostbackPanel affiliateId={affiliateId} />
    </>
  )
}
