// Kysely types for every table in /migrations (the SQL stays the source of truth).
// They describe what a handle opened with createSql(url, { int8: 'number' }) returns:
// int8 as number, numeric as a decimal string (exact money), timestamptz as Date.
import type { ConversionStatus } from '@affiliate/contracts/values'
import type { ColumnType, Generated, GeneratedAlways } from 'kysely'

type Timestamp = ColumnType<Date, Date | string, Date | string>
type TimestampDefault = ColumnType<Date, Date | string | undefined, Date | string>
type Int8Default = ColumnType<number, number | string | bigint | undefined, number | string | bigint>
type Numeric = ColumnType<string, string | number, string | number>
type NumericDefault = ColumnType<string, string | number | undefined, string | number>

export interface AffiliatesTable {
  id: Generated<number>
  name: string
  created_at: TimestampDefault
}

export interface CampaignsTable {
  id: Generated<number>
  name: string
  landing_url: string
  postback_token: string
  created_at: TimestampDefault
}

export interface ClicksTable {
  id: GeneratedAlways<number>
  affiliate_id: number
  campaign_id: number
  click_id: string
  timestamp: TimestampDefault
  sub1: string | null
  sub2: string | null
  sub3: string | null
  sub4: string | null
  sub5: string | null
  is_bot: Generated<boolean>
  ip: string | null
  user_agent: string | null
  referer: string | null
}

export interface ConversionsTable {
  id: GeneratedAlways<number>
  click_id: string
  txn_id: Generated<string>
  amount: Numeric
  currency: string
  status: ColumnType<ConversionStatus, ConversionStatus | undefined, ConversionStatus>
  timestamp: TimestampDefault
  affiliate_id: number
  campaign_id: number
  source_ip: string | null
  raw_request: unknown | null
  /** The click's timestamp: the partition key (migration 050). */
  click_timestamp: Timestamp
  /** The click's sub-ids, copied for the breakdown. */
  sub1: string | null
  sub2: string | null
  sub3: string | null
  sub4: string | null
  sub5: string | null
}

/** What retention has dropped (migration 050): raw rows before dropped_before are gone. */
export interface RawRetentionTable {
  id: Generated<boolean>
  dropped_before: Timestamp
}

/** One row per stored click: where click_id is unique (migration 050). */
export interface ClickKeysTable {
  click_id: string
  timestamp: TimestampDefault
  affiliate_id: number
  campaign_id: number
  sub1: string | null
  sub2: string | null
  sub3: string | null
  sub4: string | null
  sub5: string | null
}

export interface ClickStatsHourlyTable {
  affiliate_id: number
  hour: Timestamp
  campaign_id: number
  clicks: Int8Default
  bot_clicks: Int8Default
}

export interface ConversionStatsHourlyTable {
  affiliate_id: number
  hour: Timestamp
  campaign_id: number
  status: ConversionStatus
  currency: string
  conversions: Int8Default
  amount: NumericDefault
}

export interface ApiKeysTable {
  id: GeneratedAlways<number>
  key_hash: Buffer
  affiliate_id: number | null
  is_admin: Generated<boolean>
  label: string | null
  created_at: TimestampDefault
  revoked_at: Timestamp | null
}

export interface Database {
  affiliates: AffiliatesTable
  campaigns: CampaignsTable
  click_keys: ClickKeysTable
  clicks: ClicksTable
  conversions: ConversionsTable
  click_stats_hourly: ClickStatsHourlyTable
  conversion_stats_hourly: ConversionStatsHourlyTable
  api_keys: ApiKeysTable
  raw_retention: RawRetentionTable
}
