// The whole range's conversions as CSV: follows next_cursor page by page, so the file
// holds every conversion, not just the page on screen.
import type { Conversion, ConversionPage } from '@affiliate/contracts'
import { getJson } from '../../api.ts'
import { downloadCsv, toCsv } from '../../csv.ts'
import { conversionsPath, type Range } from '../../queries.ts'
import { type CampaignNames, campaignName } from '../campaigns/campaign-names.ts'

// The API's largest page: fewest round trips.
const EXPORT_PAGE_SIZE = 500
const COLUMNS = ['timestamp', 'id', 'click_id', 'txn_id', 'campaign_id', 'campaign', 'status', 'amount', 'currency']

function cell(value: unknown): string | number | null {
  if (value === undefined || value === null) return null
  if (typeof value === 'number' || typeof value === 'string') return value
  return JSON.stringify(value)
}

export async function exportConversions(
  affiliateId: number,
  range: Range,
  names: CampaignNames,
  onProgress: (rows: number) => void,
) {
  const items: Conversion[] = []
  let cursor: string | undefined
  do {
    const page = await getJson<ConversionPage>(conversionsPath(affiliateId, range, EXPORT_PAGE_SIZE, cursor))
    items.push(...page.items)
    onProgress(items.length)
    cursor = page.next_cursor ?? undefined
  } while (cursor)
  // Columns the API has beyond the known ones (sub-ids…) are exported too, after them.
  const extra = [...new Set(items.flatMap((item) => Object.keys(item)))].filter((key) => !COLUMNS.includes(key))
  const header = [...COLUMNS, ...extra]
  const rows = items.map((item) => ({ ...item, campaign: campaignName(names, item.campaign_id) }))
  const csv = toCsv(
    header,
    rows.map((row) => header.map((key) => cell(row[key as keyof typeof row]))),
  )
  downloadCsv(`affiliate-${affiliateId}-conversions-${range.from.slice(0, 10)}-${range.to.slice(0, 10)}.csv`, csv)
}
