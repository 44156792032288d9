import { useQuery } from '@tanstack/react-query'
import { CopyField } from '../../components/copy-field.tsx'
import { Panel } from '../../components/panel.tsx'
import { Skeleton } from '../../components/skeleton.tsx'
import { ErrorState } from '../../components/states.tsx'
import { postbackUrlQuery } from '../../queries.ts'

function PostbackDetails({ affiliateId }: { affiliateId: number }) {
  const { data, error, isPending, isLoadingError, refetch } = useQuery(postbackUrlQuery(affiliateId))
  if (isPending) {
    return (
      <div role="status" aria-label="Loading postback URL" className="space-y-3">
        <Skeleton className="h-16" />
        <Skeleton className="h-16" />
      </div>
    )
  }
  if (isLoadingError) return <ErrorState what="your postback URL" error={error} onRetry={() => void refetch()} />
  return (
    <div className="space-y-4">
      <CopyField
        label="Postback URL"
        value={data.postback_url}
        help="Give it to the advertiser: their server calls it when a sale happens, filling in the macros."
      />
      <CopyField
        label="Click link"
        value={data.click_url}
        help="The template of every click link: put a campaign's id for {campaign_id} (or copy a ready link from Your offers) and a label for {sub1}."
      />
      {data.macros.length > 0 && (
        <div>
          <h3 className="text-sm font-medium">Macros</h3>
          {/* Side by side where there is room, else each description under its macro; words break
              only between words (a long token like approved|pending|rejected at its | signs). */}
          <dl className="mt-1 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_minmax(0,1fr)]">
            {data.macros.map((macro) => (
              <div key={macro.macro} className="contents">
                <dt className="mt-1 font-mono text-xs leading-5 text-slate-700 sm:mt-0">{macro.macro}</dt>
                <dd className="text-slate-600 break-words">{macro.description}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </div>
  )
}

export function PostbackPanel({ affiliateId }: { affiliateId: number }) {
  return (
    <Panel title="Your postback URL">
      <PostbackDetails affiliateId={affiliateId} />
    </Panel>
  )
}
