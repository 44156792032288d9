import { useQuery } from '@tanstack/react-query'
import { errorMessage } from '../../components/states.tsx'
import { formatClock } from '../../format.ts'
import { type Range, summaryQuery } from '../../queries.ts'

export interface Stale {
  error: Error
  /** When the figures on screen were fetched. */
  since: number
}

/**
 * Whether a refresh failed while figures are on screen. The panels keep showing what they had;
 * the summary speaks for all of them (every report comes from the same API, on the same interval).
 */
export function useStale(affiliateId: number, range: Range): Stale | undefined {
  const { isRefetchError, error, dataUpdatedAt } = useQuery(summaryQuery(affiliateId, range))
  return isRefetchError ? { error, since: dataUpdatedAt } : undefined
}

/** Said once, above the figures, rather than in every panel. */
export function StaleNotice({ stale }: { stale: Stale }) {
  return (
    <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
      <p className="font-medium">{errorMessage(stale.error)}</p>
      <p className="mt-1">
        The figures below are from {formatClock(stale.since)}, the last successful update, and may be out of date.
      </p>
    </div>
  )
}
