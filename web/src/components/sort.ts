import type { Figures } from '@affiliate/contracts'

export const SortKeys = ['name', 'clicks', 'conversions', 'conversion_rate', 'revenue', 'epc'] as const
export type SortKey = (typeof SortKeys)[number]
export interface Sort {
  key: SortKey
  direction: 'ascending' | 'descending'
}

/** The currency that ranks revenue and EPC: the one with the most revenue (amounts in different currencies are never added). */
export function mainCurrency(rows: Figures[]): string | undefined {
  const totals = new Map<string, number>()
  for (const row of rows)
    for (const r of row.revenue) totals.set(r.currency, (totals.get(r.currency) ?? 0) + Number(r.amount))
  return [...totals].sort((a, b) => b[1] - a[1])[0]?.[0]
}

function value(row: Figures & { name?: string }, key: SortKey, currency: string | undefined): string | number {
  switch (key) {
    case 'name':
      return row.name ?? ''
    case 'revenue':
    case 'epc': {
      const r = row.revenue.find((x) => x.currency === currency)
      return r ? Number(key === 'revenue' ? r.amount : r.epc) : 0
    }
    case 'conversion_rate':
      return row.conversion_rate ?? -1
    default:
      return row[key]
  }
}

export function sortRows<T extends Figures & { name?: string }>(rows: T[], sort: Sort): T[] {
  const currency = mainCurrency(rows)
  const sign = sort.direction === 'ascending' ? 1 : -1
  return [...rows].sort((a, b) => {
    const x = value(a, sort.key, currency)
    const y = value(b, sort.key, currency)
    const order = typeof x === 'string' ? x.localeCompare(String(y)) : x - Number(y)
    return sign * order
  })
}
