// The reports of /api/affiliates/:id/…: figures over a range, per campaign, per bucket, per
// sub-id value, and the conversions themselves.
import { type Static, Type } from '@sinclair/typebox'
import {
  ConversionStatusSchema,
  CurrencySchema,
  FigureProperties,
  IntervalSchema,
  MoneySchema,
  RangeProperties,
  SubIdSchema,
} from './figures.ts'

export const SummarySchema = Type.Object({ ...RangeProperties, ...FigureProperties })
export type Summary = Static<typeof SummarySchema>

export const CampaignRowSchema = Type.Object({ campaign_id: Type.Integer(), name: Type.String(), ...FigureProperties })
export type CampaignRow = Static<typeof CampaignRowSchema>

export const CampaignReportSchema = Type.Object({ ...RangeProperties, items: Type.Array(CampaignRowSchema) })
export type CampaignReport = Static<typeof CampaignReportSchema>

export const BucketSchema = Type.Object({
  bucket: Type.String({ format: 'date-time', description: 'Start of the UTC hour or day' }),
  ...FigureProperties,
})
export type Bucket = Static<typeof BucketSchema>

export const TimeseriesSchema = Type.Object({
  ...RangeProperties,
  interval: IntervalSchema,
  items: Type.Array(BucketSchema),
})
export type Timeseries = Static<typeof TimeseriesSchema>

export const BreakdownRowSchema = Type.Object({
  value: Type.Union([Type.String(), Type.Null()], { description: "The sub-id's value; null: clicks without one" }),
  ...FigureProperties,
})
export type BreakdownRow = Static<typeof BreakdownRowSchema>

export const BreakdownSchema = Type.Object({
  ...RangeProperties,
  by: SubIdSchema,
  campaign_id: Type.Union([Type.Integer(), Type.Null()], { description: 'The campaign asked for; null: all' }),
  items: Type.Array(BreakdownRowSchema),
})
export type Breakdown = Static<typeof BreakdownSchema>

export const ConversionSchema = Type.Object({
  id: Type.Integer(),
  click_id: Type.String(),
  txn_id: Type.String({ description: "The advertiser's transaction id; empty when it sent none" }),
  campaign_id: Type.Integer(),
  amount: MoneySchema,
  currency: CurrencySchema,
  status: ConversionStatusSchema,
  timestamp: Type.String({ format: 'date-time', description: 'To the microsecond, UTC' }),
})
export type Conversion = Static<typeof ConversionSchema>

export const ConversionPageSchema = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  items: Type.Array(ConversionSchema),
  next_cursor: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as cursor for the next page; null on the last',
  }),
})
export type ConversionPage = Static<typeof ConversionPageSchema>
