import { type SubId, SubIds } from '@affiliate/contracts/values'
import { useQuery } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { FiguresTable } from '../../components/figures-table.tsx'
import { Panel, selectClass } from '../../components/panel.tsx'
import { TableSkeleton } from '../../components/skeleton.tsx'
import { EmptyState, ErrorState } from '../../components/states.tsx'
import { breakdownQuery, campaignsQuery, type Range } from '../../queries.ts'

interface Props {
  affiliateId: number
  range: Range
}

/** The API reads raw clicks for this report and caps its range (31 days) to bound the cost. */
const MAX_DAYS = 31
const DAY_MS = 86_400_000

function BreakdownRows({ affiliateId, range, by, campaignId }: Props & { by: SubId; campaignId?: number }) {
  const tooLong = Date.parse(range.to) - Date.parse(range.from) > MAX_DAYS * DAY_MS
  const { data, error, isPending, isLoadingError, refetch } = useQuery({
    ...breakdownQuery(affiliateId, range, by, campaignId),
    enabled: !tooLong,
  })
  if (tooLong)
    return <EmptyState>The sub-id breakdown covers at most {MAX_DAYS} days: pick a shorter range.</EmptyState>
  if (isPending) return <TableSkeleton label="Loading sub-id breakdown" />
  if (isLoadingError) return <ErrorState what="the sub-id breakdown" error={error} onRetry={() => void refetch()} />
  if (data.items.length === 0) return <EmptyState>No clicks with a {by} in this range.</EmptyState>
  return (
    <FiguresTable
      caption={`Figures per ${by} value`}
      nameLabel={by}
      rows={data.items.map((item) => ({ ...item, key: item.value ?? '\u0000', name: item.value ?? '(none)' }))}
    />
  )
}

/** Which traffic sources convert: figures per value of one sub-id, optionally within one campaign. */
export function SubIdBreakdown({ affiliateId, range }: Props) {
  const [by, setBy] = useState<SubId>('sub1')
  const [campaignId, setCampaignId] = useState<number | undefined>()
  // The campaign filter lists the campaigns of this range; it shares the campaign table's cache.
  const campaigns = useQuery(campaignsQuery(affiliateId, range))
  const byId = useId()
  const campaignSelectId = useId()

  return (
    <Panel
      title="Sub-id breakdown"
      actions={
        <>
          <label htmlFor={byId} className="text-sm text-slate-600">
            Sub-id
          </label>
          <select id={byId} className={selectClass} value={by} onChange={(e) => setBy(e.target.value as SubId)}>
            {SubIds.map((id) => (
              <option key={id}>{id}</option>
            ))}
          </select>
          <label htmlFor={campaignSelectId} className="text-sm text-slate-600">
            Campaign
          </label>
          <select
            id={campaignSelectId}
            className={selectClass}
            value={campaignId ?? ''}
            onChange={(e) => setCampaignId(e.target.value ? Number(e.target.value) : undefined)}
          >
            <option value="">All campaigns</option>
            {campaigns.data?.items.map((c) => (
              <option key={c.campaign_id} value={c.campaign_id}>
                {c.name}
              </option>
            ))}
          </select>
        </>
      }
    >
      <BreakdownRows affiliateId={affiliateId} range={range} by={by} campaignId={campaignId} />
    </Panel>
  )
}
