// TypeBox schemas shared by the routes: parameters, the figures, the echoed range.
import { type Static, Type } from '@sinclair/typebox'
import { ErrorBodySchema } from '@affiliate/http/errors'
import { INSTANT_PATTERN } from './range.ts'

/** Digits only: Fastify's coercion would otherwise read 0x1 or 1e3 as ids. */
export const IdSchema = Type.String({ pattern: '^[1-9][0-9]{0,9}$', description: 'A positive integer id' })

export const AffiliateParamsSchema = Type.Object({ id: IdSchema })
export type AffiliateParams = Static<typeof AffiliateParamsSchema>

const InstantSchema = Type.String({ pattern: INSTANT_PATTERN, examples: ['2026-11-01T00:00:00Z'] })

export const RangeQuerySchema = Type.Object({
  from: Type.Optional({
    ...InstantSchema,
    description: 'Inclusive ISO-8601 instant, rounded down to the UTC hour. Default: 7 days before to.',
  }),
  to: Type.Optional({
    ...InstantSchema,
    description: 'Exclusive ISO-8601 instant, rounded up to the UTC hour. Default: now (the current hour included).',
  }),
})

export const FiguresQuerySchema = Type.Composite([
  RangeQuerySchema,
  Type.Object({
    include_bots: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Fold bot clicks into clicks (they are reported beside them either way).',
      }),
    ),
  }),
])
export type FiguresQuery = Static<typeof FiguresQuerySchema>

const MoneySchema = Type.String({ pattern: '^[0-9]+\\.[0-9]{4}$', examples: ['25.5000'] })
const CurrencySchema = Type.String({ pattern: '^[A-Z]{3}$', examples: ['USD'] })

export const FigureProperties = {
  clicks: Type.Integer({ description: 'Clicks not flagged as bots (all clicks with include_bots=true)' }),
  bot_clicks: Type.Integer({ description: 'Clicks flagged as bots' }),
  conversions: Type.Integer({ description: 'Approved conversions' }),
  pending_conversions: Type.Integer({ description: 'Conversions awaiting approval; rejected ones count nowhere' }),
  conversion_rate: Type.Union([Type.Number(), Type.Null()], {
    description: 'conversions / clicks as a fraction; null when there are no clicks',
  }),
  revenue: Type.Array(
    Type.Object({
      currency: CurrencySchema,
      amount: MoneySchema,
      epc: Type.Union([MoneySchema, Type.Null()], {
        description: 'Earnings per click in this currency; null with no clicks',
      }),
    }),
    { description: 'Approved revenue per currency, never summed across currencies' },
  ),
  pending_revenue: Type.Array(Type.Object({ currency: CurrencySchema, amount: MoneySchema }), {
    description: 'Revenue of pending conversions per currency',
  }),
}
export const FiguresSchema = Type.Object(FigureProperties)
export type Figures = Static<typeof FiguresSchema>

export const RangeProperties = {
  from: Type.String({ format: 'date-time', description: 'Inclusive start actually counted (whole UTC hour)' }),
  to: Type.String({ format: 'date-time', description: 'Exclusive end actually counted (whole UTC hour)' }),
  grain: Type.Literal('hour', { description: 'The rollup grain that from and to were rounded to' }),
  tz: Type.Literal('UTC', { description: 'Time zone of hours and day buckets' }),
}

export { ErrorBodySchema }

/** Error responses a route on an affiliate may give. */
export const errorResponses = { 400: ErrorBodySchema, 401: ErrorBodySchema, 404: ErrorBodySchema } as const
