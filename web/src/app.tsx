import type { Affiliate } from '@affiliate/contracts'
import { useQuery } from '@tanstack/react-query'
import { type ReactNode, useEffect } from 'react'
import { ApiError } from './api.ts'
import { readApiKey, readStoredAffiliate, writeStoredAffiliate } from './auth.ts'
import { buttonClass } from './components/panel.tsx'
import { Skeleton } from './components/skeleton.tsx'
import { EmptyState, ErrorState } from './components/states.tsx'
import { AffiliatePicker } from './features/affiliate/affiliate-picker.tsx'
import { SignIn, SignOutButton } from './features/affiliate/sign-in.tsx'
import { SubIdBreakdown } from './features/breakdown/sub-id-breakdown.tsx'
import { CampaignTable } from './features/campaigns/campaign-table.tsx'
import { ConversionsList } from './features/conversions/conversions-list.tsx'
import { LiveStatus } from './features/refresh/live-status.tsx'
import { PostbackPanel } from './features/postback/postback-panel.tsx'
import { DateRangePicker } from './features/range/date-range-picker.tsx'
import {
  apiRange,
  intervalFor,
  MAX_HOURLY_DAYS,
  rangeDays,
  rangeFromParams,
  rangeToParams,
  todayUtc,
} from './features/range/range.ts'
import { SummaryCards } from './features/summary/summary-cards.tsx'
import { TimeseriesChart } from './features/timeseries/timeseries-chart.tsx'
import { affiliatesQuery } from './queries.ts'
import { updateSearchParams, useSearchParams } from './url-state.ts'

function Shell({ controls, children }: { controls?: ReactNode; children: ReactNode }) {
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only rounded-md bg-white px-3 py-2 text-sm font-medium focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-10"
      >
        Skip to the figures
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <h1 className="text-lg font-semibold">Affiliate dashboard</h1>
          {controls}
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-7xl space-y-4 px-4 py-4 focus:outline-none">
        {children}
      </main>
    </div>
  )
}

/** The affiliate in the URL, else the one chosen last time, else the first one this browser may see. */
function pickAffiliate(affiliates: Affiliate[], params: URLSearchParams): Affiliate | undefined {
  for (const wanted of [params.get('affiliate'), readStoredAffiliate()]) {
    const found = affiliates.find((a) => String(a.id) === wanted)
    if (found) return found
  }
  return affiliates[0]
}

function selectAffiliate(id: number) {
  writeStoredAffiliate(String(id))
  updateSearchParams({ affiliate: String(id) })
}

export function App() {
  const params = useSearchParams()
  const affiliates = useQuery(affiliatesQuery())
  const signedIn = readApiKey() !== null
  const affiliate = affiliates.data && pickAffiliate(affiliates.data.items, params)
  useEffect(() => {
    document.title = affiliate ? `${affiliate.name} · Affiliate dashboard` : 'Affiliate dashboard'
  }, [affiliate])

  if (affiliates.isPending) {
    return (
      <Shell>
        <div role="status" aria-label="Loading" className="space-y-4">
          <Skeleton className="h-10 w-72" />
          <Skeleton className="h-24" />
          <Skeleton className="h-64" />
        </div>
      </Shell>
    )
  }
  if (affiliates.error) {
    if (affiliates.error instanceof ApiError && affiliates.error.status === 401) {
      return (
        <Shell>
          <SignIn />
        </Shell>
      )
    }
    return (
      <Shell>
        <ErrorState what="the dashboard" error={affiliates.error} onRetry={() => void affiliates.refetch()} />
      </Shell>
    )
  }

  const signOut = signedIn ? <SignOutButton className={buttonClass} /> : null
  if (!affiliate) {
    return (
      <Shell controls={signOut}>
        <EmptyState>There are no affiliates yet.</EmptyState>
      </Shell>
    )
  }

  const range = rangeFromParams(params, todayUtc())
  const instants = apiRange(range)
  return (
    <Shell
      controls={
        <div className="flex flex-wrap items-center gap-3">
          <AffiliatePicker affiliates={affiliates.data.items} selected={affiliate.id} onSelect={selectAffiliate} />
          <LiveStatus affiliateId={affiliate.id} range={instants} />
          {signOut}
        </div>
      }
    >
      <div className="flex flex-wrap items-end justify-between gap-3">
        <DateRangePicker range={range} onChange={(next) => updateSearchParams(rangeToParams(next))} />
        <p className="text-xs text-slate-500">Days and hours are UTC.</p>
      </div>
      <SummaryCards affiliateId={affiliate.id} range={instants} />
      <TimeseriesChart
        affiliateId={affiliate.id}
        range={instants}
        interval={intervalFor(range, params.get('interval'))}
        intervals={rangeDays(range) <= MAX_HOURLY_DAYS ? ['hour', 'day'] : ['day']}
        onIntervalChange={(interval) => updateSearchParams({ interval })}
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="min-w-0 space-y-4 lg:col-span-2">
          <CampaignTable affiliateId={affiliate.id} range={instants} />
          <SubIdBreakdown affiliateId={affiliate.id} range={instants} />
        </div>
        <PostbackPanel affiliateId={affiliate.id} />
      </div>
      <ConversionsList affiliateId={affiliate.id} range={instants} />
    </Shell>
  )
}
