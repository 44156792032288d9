import type { Conversion } from '@affiliate/contracts'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { buttonClass, Panel } from '../../components/panel.tsx'
import { ScrollArea } from '../../components/scroll-area.tsx'
import { TableSkeleton } from '../../components/skeleton.tsx'
import { EmptyState, ErrorState, errorMessage } from '../../components/states.tsx'
import { formatDateTime, formatMoney } from '../../format.ts'
import { conversionsQuery, type Range } from '../../queries.ts'
import { type CampaignNames, campaignName, useCampaignNames } from '../campaigns/campaign-names.ts'
import { exportConversions } from './export-conversions.ts'

interface Props {
  affiliateId: number
  range: Range
}

const STATUS_STYLE: Record<Conversion['status'], string> = {
  approved: 'bg-green-100 text-green-800',
  pending: 'bg-amber-100 text-amber-800',
  rejected: 'bg-slate-200 text-slate-700',
}

function ConversionRows({ items, names }: { items: Conversion[]; names: CampaignNames }) {
  return (
    <ScrollArea>
      <table className="w-full min-w-[36rem] text-sm">
        <caption className="sr-only">Latest conversions, newest first</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left text-slate-500">
            <th scope="col" className="py-2 font-medium">
              Time
            </th>
            <th scope="col" className="py-2 font-medium">
              Campaign
            </th>
            <th scope="col" className="py-2 font-medium">
              Click ID
            </th>
            <th scope="col" className="py-2 font-medium">
              Txn ID
            </th>
            <th scope="col" className="py-2 font-medium">
              Status
            </th>
            <th scope="col" className="py-2 text-right font-medium">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id} className="border-b border-slate-100 last:border-0">
              <td className="py-2 pr-2 whitespace-nowrap">{formatDateTime(c.timestamp)}</td>
              <td className="py-2 pr-2">{campaignName(names, c.campaign_id)}</td>
              <td className="max-w-[12rem] truncate py-2 pr-2 font-mono text-xs" title={c.click_id}>
                {c.click_id}
              </td>
              <td className="max-w-[8rem] truncate py-2 pr-2 font-mono text-xs" title={c.txn_id}>
                {c.txn_id || '—'}
              </td>
              <td className="py-2 pr-2">
                <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_STYLE[c.status] ?? ''}`}>
                  {c.status}
                </span>
              </td>
              <td className="py-2 text-right tabular-nums">{formatMoney(c.amount, c.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollArea>
  )
}

function ConversionPages({ affiliateId, range }: Props) {
  // Cursors of the pages before the current one; the first page has none.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined])
  const cursor = cursors[cursors.length - 1]
  const { data, error, isPending, isLoadingError, isPlaceholderData, refetch } = useQuery({
    ...conversionsQuery(affiliateId, range, cursor),
    placeholderData: keepPreviousData,
  })
  const names = useCampaignNames(affiliateId, range)
  if (isPending) return <TableSkeleton label="Loading conversions" />
  if (isLoadingError) return <ErrorState what="conversions" error={error} onRetry={() => void refetch()} />
  if (data.items.length === 0 && cursors.length === 1) return <EmptyState>No conversions in this range yet.</EmptyState>
  const next = data.next_cursor
  return (
    <>
      <ConversionRows items={data.items} names={names} />
      <nav aria-label="Conversions pages" className="mt-3 flex items-center justify-between gap-2">
        <button
          type="button"
          className={buttonClass}
          disabled={cursors.length === 1}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          Newer
        </button>
        <span className="text-sm text-slate-500" aria-live="polite">
          Page {cursors.length}
        </span>
        <button
          type="button"
          className={buttonClass}
          disabled={!next || isPlaceholderData}
          onClick={() => next && setCursors([...cursors, next])}
        >
          Older
        </button>
      </nav>
    </>
  )
}

function ExportButton({ affiliateId, range }: Props) {
  const names = useCampaignNames(affiliateId, range)
  const [state, setState] = useState<{ busy: boolean; rows: number; error?: string }>({ busy: false, rows: 0 })
  const run = () => {
    setState({ busy: true, rows: 0 })
    exportConversions(affiliateId, range, names, (rows) => setState({ busy: true, rows })).then(
      () => setState({ busy: false, rows: 0 }),
      (error: Error) => setState({ busy: false, rows: 0, error: errorMessage(error) }),
    )
  }
  return (
    <>
      {state.error && (
        <span role="alert" className="text-sm text-red-700">
          Export failed: {state.error}
        </span>
      )}
      <button type="button" className={buttonClass} disabled={state.busy} onClick={run}>
        {state.busy ? `Exporting… ${state.rows}` : 'Export conversions CSV'}
      </button>
    </>
  )
}

export function ConversionsList(props: Props) {
  // A new affiliate or range starts again at the first page.
  const reset = `${props.affiliateId}:${props.range.from}:${props.range.to}`
  return (
    <Panel title="Latest conversions" actions={<ExportButton {...props} />}>
      <ConversionPages key={reset} {...props} />
    </Panel>
  )
}
