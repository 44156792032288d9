import type { Affiliate } from '@affiliate/contracts'
import { useQuery } from '@tanstack/react-query'
import { type ReactNode, useEffect } from 'react'
import { ApiError } from './api.ts'
import { readApiKey, readStoredAffiliate, writeStoredAffiliate } from './auth.ts'
import { buttonClass } from './components/panel.tsx'
import { Skeleton } from './components/skeleton.tsx'
import { EmptyState, ErrorState } from './components/states.tsx'
import { AffiliateNotFound } from './features/affiliate/affiliate-not-found.tsx'
import { AffiliatePicker } from './features/affiliate/affiliate-picker.tsx'
import { SignIn, SignOutButton } from './features/affiliate/sign-in.tsx'
import { apiRange, rangeFromParams, todayUtc } from './features/range/range.ts'
import { LiveStatus } from './features/refresh/live-status.tsx'
import { Dashboard } from './dashboard.tsx'
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

type Shown = { affiliate: Affiliate; urlWrong: boolean } | { missing: string }

/** The affiliate in the URL, else the one chosen last time, else the first one this browser may see. */
function pickAffiliate(affiliates: Affiliate[], params: URLSearchParams, signedIn: boolean): Shown | undefined {
  const wanted = params.get('affiliate')
  if (wanted !== null) {
    const found = affiliates.find((a) => String(a.id) === wanted)
    if (found) return { affiliate: found, urlWrong: false }
    // An affiliate's key sees its own affiliate only: that one is shown, so the URL must name it.
    if (signedIn && affiliates.length === 1) return { affiliate: affiliates[0]!, urlWrong: true }
    return { missing: wanted }
  }
  const stored = affiliates.find((a) => String(a.id) === readStoredAffiliate())
  const affiliate = stored ?? affiliates[0]
  return affiliate && { affiliate, urlWrong: false }
}

function selectAffiliate(id: number) {
  writeStoredAffiliate(String(id))
  updateSearchParams({ affiliate: String(id) })
}

export function App() {
  const params = useSearchParams()
  const affiliates = useQuery(affiliatesQuery())
  const signedIn = readApiKey() !== null
  const shown = affiliates.data && pickAffiliate(affiliates.data.items, params, signedIn)
  const affiliate = shown && 'affiliate' in shown ? shown.affiliate : undefined
  const urlWrong = shown !== undefined && 'affiliate' in shown && shown.urlWrong
  useEffect(() => {
    document.title = affiliate ? `${affiliate.name} · Affiliate dashboard` : 'Affiliate dashboard'
  }, [affiliate])
  useEffect(() => {
    if (affiliate && urlWrong) updateSearchParams({ affiliate: String(affiliate.id) }, { replace: true })
  }, [affiliate, urlWrong])

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
  if (affiliates.isLoadingError) {
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
  if (!shown) {
    return (
      <Shell controls={signOut}>
        <EmptyState>There are no affiliates yet.</EmptyState>
      </Shell>
    )
  }
  const picker = (
    <AffiliatePicker affiliates={affiliates.data.items} selected={affiliate?.id} onSelect={selectAffiliate} />
  )
  if ('missing' in shown) {
    return (
      <Shell
        controls={
          <div className="flex flex-wrap items-center gap-3">
            {picker}
            {signOut}
          </div>
        }
      >
        <AffiliateNotFound wanted={shown.missing} />
      </Shell>
    )
  }

  const { id } = shown.affiliate
  const range = rangeFromParams(params, todayUtc())
  const instants = apiRange(range)
  return (
    <Shell
      controls={
        <div className="flex flex-wrap items-center gap-3">
          {picker}
          <LiveStatus affiliateId={id} range={instants} />
          {signOut}
        </div>
      }
    >
      <Dashboard affiliateId={id} range={range} instants={instants} interval={params.get('interval')} />
    </Shell>
  )
}
