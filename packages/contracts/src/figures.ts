// The pieces every report shares: exact money, the figures of a row, the echoed range.
import { type Static, Type } from '@sinclair/typebox'
import { ConversionStatuses, Intervals, SubIds } from './values.ts'

/** Money is a decimal string with 4 places, never a float. */
export const MoneySchema = Type.String({ pattern: '^[0-9]+\\.[0-9]{4}$', examples: ['25.5000'] })
export const CurrencySchema = Type.String({ pattern: '^[A-Z]{3}$', examples: ['USD'] })

export const IntervalSchema = Type.Union(Intervals.map((i) => Type.Literal(i)))
export const SubIdSchema = Type.Union(SubIds.map((s) => Type.Literal(s)))
export const ConversionStatusSchema = Type.Union(ConversionStatuses.map((s) => Type.Literal(s)))

export const RevenueSchema = Type.Object({
  currency: CurrencySchema,
  amount: MoneySchema,
  epc: Type.Union([MoneySchema, Type.Null()], {
    description: 'Earnings per click in this currency; null with no clicks',
  }),
})
export type Revenue = Static<typeof RevenueSchema>

export const PendingRevenueSchema = Type.Object({ currency: CurrencySchema, amount: MoneySchema })
export type PendingRevenue = Static<typeof PendingRevenueSchema>

/** Spread into every row that carries figures (summary, a campaign, a bucket, a sub-id value). */
export const FigureProperties = {
  clicks: Type.Integer({ description: 'Clicks not flagged as bots (all clicks with include_bots=true)' }),
  bot_clicks: Type.Integer({ description: 'Clicks flagged as bots' }),
  conversions: Type.Integer({ description: 'Approved conversions' }),
  pending_conversions: Type.Integer({ description: 'Conversions awaiting approval; rejected ones count nowhere' }),
  conversion_rate: Type.Union([Type.Number(), Type.Null()], {
    description: 'conversions / clicks as a fraction; null when there are no clicks',
  }),
  revenue: Type.Array(RevenueSchema, { description: 'Approved revenue per currency, never summed across currencies' }),
  pending_revenue: Type.Array(PendingRevenueSchema, { description: 'Revenue of pending conversions per currency' }),
}
export const FiguresSchema = Type.Object(FigureProperties)
export type Figures = Static<typeof FiguresSchema>

/** Spread into every ranged report: the range actually counted. */
export const RangeProperties = {
  from: Type.String({ format: 'date-time', description: 'Inclusive start actually counted (whole UTC hour)' }),
  to: Type.String({ format: 'date-time', description: 'Exclusive end actually counted (whole UTC hour)' }),
  grain: Type.Literal('hour', { description: 'The rollup grain that from and to were rounded to' }),
  tz: Type.Literal('UTC', { description: 'Time zone of hours and day buckets' }),
}
export const RangedSchema = Type.Object(RangeProperties)
export type Ranged = Static<typeof RangedSchema>
