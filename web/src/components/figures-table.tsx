import type { Figures, Revenue } from '@affiliate/contracts'
import { useState } from 'react'
import { formatCount, formatMoney, formatRate } from '../format.ts'
import { ScrollArea } from './scroll-area.tsx'
import { type Sort, type SortKey, sortRows } from './sort.ts'

export type Row = Figures & { key: string; name: string }

const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'name', label: '', numeric: false },
  { key: 'clicks', label: 'Clicks', numeric: true },
  { key: 'conversions', label: 'Conversions', numeric: true },
  { key: 'conversion_rate', label: 'CR', numeric: true },
  { key: 'revenue', label: 'Revenue', numeric: true },
  { key: 'epc', label: 'EPC', numeric: true },
]

function Money({ revenue, pick }: { revenue: Revenue[]; pick: 'amount' | 'epc' }) {
  if (revenue.length === 0) return <>—</>
  return (
    <>
      {revenue.map((r) => (
        <div key={r.currency}>{formatMoney(r[pick], r.currency)}</div>
      ))}
    </>
  )
}

interface Props {
  rows: Row[]
  /** Header of the first column, e.g. "Campaign" or "sub1". */
  nameLabel: string
  caption: string
  initialSort?: Sort
}

/** Rows of figures (clicks, conversions, CR, revenue, EPC), sortable by every column. */
export function FiguresTable({
  rows,
  nameLabel,
  caption,
  initialSort = { key: 'clicks', direction: 'descending' },
}: Props) {
  const [sort, setSort] = useState<Sort>(initialSort)
  const sorted = sortRows(rows, sort)
  const toggle = (key: SortKey) =>
    setSort((current) =>
      current.key === key
        ? { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
        : { key, direction: key === 'name' ? 'ascending' : 'descending' },
    )

  return (
    <ScrollArea>
      <table className="w-full min-w-[36rem] text-sm">
        <caption className="sr-only">{caption} (column headers sort the table)</caption>
        <thead>
          <tr className="border-b border-slate-200 text-slate-500">
            {COLUMNS.map((column) => (
              <th
                key={column.key}
                scope="col"
                aria-sort={sort.key === column.key ? sort.direction : undefined}
                className={`py-2 font-medium ${column.numeric ? 'text-right' : 'text-left'}`}
              >
                <button
                  type="button"
                  onClick={() => toggle(column.key)}
                  className="inline-flex items-center gap-1 rounded px-1 hover:text-slate-900"
                >
                  {column.label || nameLabel}
                  <span aria-hidden="true" className="w-3 text-xs">
                    {sort.key === column.key ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={row.key} className="border-b border-slate-100 align-top last:border-0">
              <th scope="row" className="max-w-[16rem] truncate py-2 pr-2 text-left font-medium" title={row.name}>
                {row.name}
              </th>
              <td className="py-2 text-right tabular-nums">{formatCount(row.clicks)}</td>
              <td className="py-2 text-right tabular-nums">{formatCount(row.conversions)}</td>
              <td className="py-2 text-right tabular-nums">{formatRate(row.conversion_rate)}</td>
              <td className="py-2 text-right tabular-nums">
                <Money revenue={row.revenue} pick="amount" />
              </td>
              <td className="py-2 text-right tabular-nums">
                <Money revenue={row.revenue} pick="epc" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollArea>
  )
}
