// Response shapes of the reporting API (issue 3's contract). Counts may arrive as
// numbers or as decimal strings; money always as decimal strings with 4 places.
export type Count = number | string

export interface Revenue {
  currency: string
  amount: string
  /** Earnings per click in this currency; null when there were no clicks. */
  epc: string | null
}

export interface Figures {
  clicks: Count
  bot_clicks: Count
  conversions: Count
  pending_conversions: Count
  conversion_rate: number | string | null
  revenue: Revenue[]
  /** Revenue of pending conversions, per currency. */
  pending_revenue?: { currency: string; amount: string }[]
}

export interface Ranged {
  from: string
  to: string
}

export interface Affiliate {
  id: number
  name: string
}

export interface AffiliateList {
  items: Affiliate[]
}

export type Summary = Ranged & Figures

export type CampaignRow = Figures & { campaign_id: number; name: string }

export interface CampaignReport extends Ranged {
  items: CampaignRow[]
}

export const Intervals = ['hour', 'day'] as const
export type Interval = (typeof Intervals)[number]

export type Bucket = Figures & { bucket: string }

export interface Timeseries extends Ranged {
  interval: Interval
  items: Bucket[]
}

export interface Conversion {
  id: number | string
  click_id: string
  txn_id: string
  campaign_id: number
  amount: string
  currency: string
  status: 'approved' | 'pending' | 'rejected'
  timestamp: string
  [column: string]: unknown
}

export interface ConversionPage {
  items: Conversion[]
  next_cursor: string | null
}

export const SubIds = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5'] as const
export type SubId = (typeof SubIds)[number]

export type BreakdownRow = Figures & { value: string | null }

export interface Breakdown {
  items: BreakdownRow[]
}

export interface Macro {
  macro: string
  description: string
}

export interface PostbackUrl {
  affiliate_id: number
  postback_url: string
  click_url: string
  macros: Macro[]
}
