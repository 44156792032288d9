// CSV for spreadsheets: RFC 4180 quoting, and cells that a spreadsheet would run as a
// formula (=, +, -, @ — a sub-id is whatever a traffic source sent) are defused with a quote.
import type { Figures } from '@affiliate/contracts'

type Cell = string | number | null | undefined

function cell(value: Cell): string {
  if (value === null || value === undefined) return ''
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n'
}

/** Figures as columns; revenue and EPC get one column per currency (revenue_USD, epc_USD…). */
export function figuresCsv(first: string[], rows: (Figures & { first: Cell[] })[]): string {
  const currencies = [...new Set(rows.flatMap((row) => row.revenue.map((r) => r.currency)))].sort()
  const header = [
    ...first,
    'clicks',
    'bot_clicks',
    'conversions',
    'pending_conversions',
    'conversion_rate',
    ...currencies.flatMap((c) => [`revenue_${c}`, `epc_${c}`]),
  ]
  const body = rows.map((row) => [
    ...row.first,
    row.clicks,
    row.bot_clicks,
    row.conversions,
    row.pending_conversions,
    row.conversion_rate,
    ...currencies.flatMap((c) => {
      const r = row.revenue.find((x) => x.currency === c)
      return [r?.amount ?? '0.0000', r?.epc ?? null]
    }),
  ])
  return toCsv(header, body)
}

export function downloadCsv(filename: string, csv: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
