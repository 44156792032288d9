import type { PendingRevenue, Revenue } from '@affiliate/contracts'
import { useQuery } from '@tanstack/react-query'
import { Skeleton } from '../../components/skeleton.tsx'
import { StatCard } from '../../components/stat-card.tsx'
import { ErrorState } from '../../components/states.tsx'
import { formatCount, formatMoney, formatRate } from '../../format.ts'
import { type Range, summaryQuery } from '../../queries.ts'

const grid = 'grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-5'

/** One line per currency: revenue is never summed across currencies. */
function PerCurrency({ revenue, pick }: { revenue: Revenue[]; pick: (r: Revenue) => string }) {
  if (revenue.length === 0) return <>—</>
  return (
    <ul>
      {revenue.map((r) => (
        <li key={r.currency}>{pick(r)}</li>
      ))}
    </ul>
  )
}

function pendingHint(pending: PendingRevenue[]): string {
  const money = pending.map((p) => formatMoney(p.amount, p.currency))
  return money.length > 0 ? `Not counted until approved: ${money.join(', ')}` : 'Not counted until approved'
}

export function SummaryCards({ affiliateId, range }: { affiliateId: number; range: Range }) {
  const { data, error, isPending, isLoadingError, refetch } = useQuery(summaryQuery(affiliateId, range))
  if (isPending) {
    return (
      <div role="status" aria-label="Loading summary" className={grid}>
        {Array.from({ length: 5 }, (_, i) => (
          <Skeleton key={i} className="h-24" />
        ))}
      </div>
    )
  }
  if (isLoadingError) return <ErrorState what="the summary" error={error} onRetry={() => void refetch()} />

  return (
    <div className="space-y-3">
      <div className={grid}>
        <StatCard label="Clicks">{formatCount(data.clicks)}</StatCard>
        <StatCard label="Conversions">{formatCount(data.conversions)}</StatCard>
        <StatCard label="Revenue">
          <PerCurrency revenue={data.revenue} pick={(r) => formatMoney(r.amount, r.currency)} />
        </StatCard>
        <StatCard label="Conversion rate">{formatRate(data.conversion_rate)}</StatCard>
        <StatCard label="EPC" hint="Earnings per click">
          <PerCurrency revenue={data.revenue} pick={(r) => formatMoney(r.epc, r.currency)} />
        </StatCard>
      </div>
      <div className="flex flex-wrap gap-3">
        <StatCard label="Bot clicks" size="small" hint="Not counted in clicks">
          {formatCount(data.bot_clicks)}
        </StatCard>
        <StatCard label="Pending conversions" size="small" hint={pendingHint(data.pending_revenue)}>
          {formatCount(data.pending_conversions)}
        </StatCard>
      </div>
    </div>
  )
}
