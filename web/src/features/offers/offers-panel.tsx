import { useQuery } from '@tanstack/react-query'
import { CopyField } from '../../components/copy-field.tsx'
import { Panel } from '../../components/panel.tsx'
import { TableSkeleton } from '../../components/skeleton.tsx'
import { EmptyState, ErrorState } from '../../components/states.tsx'
import { offersQuery } from '../../queries.ts'

function OfferLinks({ affiliateId }: { affiliateId: number }) {
  const { data, error, isPending, isLoadingError, refetch } = useQuery(offersQuery(affiliateId))
  if (isPending) return <TableSkeleton rows={3} label="Loading offers" />
  if (isLoadingError) return <ErrorState what="your offers" error={error} onRetry={() => void refetch()} />
  if (data.items.length === 0) return <EmptyState>There are no campaigns to promote yet.</EmptyState>
  return (
    <>
      <p className="mb-3 text-sm text-slate-600">
        Send your traffic to a campaign&apos;s link: each click is recorded, then redirected to the campaign&apos;s
        landing page. Add <code className="rounded bg-slate-100 px-1 font-mono text-xs">&amp;sub1=</code> and a label
        of your own, e.g. <code className="rounded bg-slate-100 px-1 font-mono text-xs">&amp;sub1=newsletter</code>,
        to tell your traffic sources apart in the sub-id breakdown (sub2 to sub5 work the same).
      </p>
      <ul className="space-y-3 sm:space-y-2">
        {data.items.map((offer) => (
          <li key={offer.campaign_id}>
            <CopyField
              label={offer.name}
              value={offer.click_url}
              help={`Campaign ${offer.campaign_id}`}
              copyLabel={`Copy the click link of ${offer.name}`}
              inline
            />
          </li>
        ))}
      </ul>
    </>
  )
}

/** Every campaign the affiliate may promote, with a click link ready to copy. */
export function OffersPanel({ affiliateId }: { affiliateId: number }) {
  return (
    <Panel title="Your offers">
      <OfferLinks affiliateId={affiliateId} />
    </Panel>
  )
}
