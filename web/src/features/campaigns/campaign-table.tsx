import type { CampaignReport } from '@affiliate/contracts'
import { useQuery } from '@tanstack/react-query'
import { FiguresTable } from '../../components/figures-table.tsx'
import { buttonClass, Panel } from '../../components/panel.tsx'
import { TableSkeleton } from '../../components/skeleton.tsx'
import { EmptyState, ErrorState } from '../../components/states.tsx'
import { downloadCsv, figuresCsv } from '../../csv.ts'
import { campaignsQuery, type Range } from '../../queries.ts'

function exportCampaigns(affiliateId: number, report: CampaignReport) {
  const csv = figuresCsv(
    ['campaign_id', 'campaign'],
    report.items.map((item) => ({ ...item, first: [item.campaign_id, item.name] })),
  )
  downloadCsv(`affiliate-${affiliateId}-campaigns-${report.from.slice(0, 10)}-${report.to.slice(0, 10)}.csv`, csv)
}

function CampaignReportView({ affiliateId, range }: { affiliateId: number; range: Range }) {
  const { data, error, isPending, isLoadingError, refetch } = useQuery(campaignsQuery(affiliateId, range))
  if (isPending) return <TableSkeleton label="Loading campaigns" />
  if (isLoadingError) return <ErrorState what="campaigns" error={error} onRetry={() => void refetch()} />
  if (data.items.length === 0) return <EmptyState>No clicks or conversions in this range yet.</EmptyState>
  return (
    <>
      <div className="mb-2 flex justify-end">
        <button type="button" className={buttonClass} onClick={() => exportCampaigns(affiliateId, data)}>
          Export campaigns CSV
        </button>
      </div>
      <FiguresTable
        caption="Figures per campaign"
        nameLabel="Campaign"
        rows={data.items.map((item) => ({ ...item, key: String(item.campaign_id), name: item.name }))}
      />
    </>
  )
}

export function CampaignTable(props: { affiliateId: number; range: Range }) {
  return (
    <Panel title="Campaigns">
      <CampaignReportView {...props} />
    </Panel>
  )
}
