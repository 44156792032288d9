import { useIsFetching, useQuery, useQueryClient } from '@tanstack/react-query'
import { buttonClass } from '../../components/panel.tsx'
import { formatClock } from '../../format.ts'
import { type Range, summaryQuery } from '../../queries.ts'
import { REFRESH_MS } from '../../query-client.ts'

/** When the figures were last refreshed, and a way to refresh them now. */
export function LiveStatus({ affiliateId, range }: { affiliateId: number; range: Range }) {
  const queryClient = useQueryClient()
  const { dataUpdatedAt, isError } = useQuery(summaryQuery(affiliateId, range))
  const fetching = useIsFetching({ queryKey: ['affiliates', affiliateId] }) > 0
  return (
    <div className="flex items-center gap-2 text-xs text-slate-500">
      {/* Only going offline is announced: a time that changes every 10 s would be noise. */}
      <span role="status">{isError && <span className="font-medium text-red-700">Offline</span>}</span>
      {dataUpdatedAt > 0 && (
        <span>
          {isError ? 'Last updated' : 'Updated'} {formatClock(dataUpdatedAt)}
          <span className="hidden sm:inline"> · refreshes every {REFRESH_MS / 1000} s</span>
        </span>
      )}
      <button
        type="button"
        className={buttonClass}
        disabled={fetching}
        onClick={() => void queryClient.invalidateQueries({ queryKey: ['affiliates', affiliateId] })}
      >
        {fetching ? 'Refreshing…' : 'Refresh'}
      </button>
    </div>
  )
}
