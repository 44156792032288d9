// Turns rollup-shaped rows into the figures every report shows. No SQL here: the queries
// return click counts and conversion counts per status and currency; this combines them.
import type { Figures } from '@affiliate/contracts'

export interface ClickCounts {
  clicks: number
  bot_clicks: number
}

export interface ConversionCounts {
  status: string
  currency: string
  conversions: number
  /** numeric(24,4) as text, e.g. "25.5000". */
  amount: string
}

const SCALE = 10_000n

/** amount / clicks to 4 places, rounded half up, exactly (no float on money). */
export function divideMoney(amount: string, clicks: number): string {
  const [whole = '0', fraction = ''] = amount.split('.')
  const scaled = BigInt(whole) * SCALE + BigInt(fraction.padEnd(4, '0').slice(0, 4))
  const n = BigInt(clicks)
  const quotient = (scaled * 2n + n) / (2n * n)
  return `${quotient / SCALE}.${(quotient % SCALE).toString().padStart(4, '0')}`
}

export function toFigures(
  clickCounts: ClickCounts | undefined,
  conversionCounts: readonly ConversionCounts[],
  includeBots: boolean,
): Figures {
  const bots = clickCounts?.bot_clicks ?? 0
  const clicks = (clickCounts?.clicks ?? 0) + (includeBots ? bots : 0)
  let conversions = 0
  let pending = 0
  const revenue: Figures['revenue'] = []
  const pendingRevenue: Figures['pending_revenue'] = []
  // Rows arrive ordered by currency; each (status, currency) appears once.
  for (const row of conversionCounts) {
    if (row.status === 'approved') {
      conversions += row.conversions
      revenue.push({
        currency: row.currency,
        amount: row.amount,
        epc: clicks > 0 ? divideMoney(row.amount, clicks) : null,
      })
    } else if (row.status === 'pending') {
      pending += row.conversions
      pendingRevenue.push({ currency: row.currency, amount: row.amount })
    }
  }
  return {
    clicks,
    bot_clicks: bots,
    conversions,
    pending_conversions: pending,
    conversion_rate: clicks > 0 ? conversions / clicks : null,
    revenue,
    pending_revenue: pendingRevenue,
  }
}

/** Groups rows by a key, keeping their order. */
export function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>()
  for (const row of rows) {
    const k = key(row)
    const group = groups.get(k)
    if (group) group.push(row)
    else groups.set(k, [row])
  }
  return groups
}
