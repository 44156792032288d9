// TypeBox schemas of the routes' parameters. What the routes answer is the contract in
// @affiliate/contracts, shared with the dashboard.
import { ErrorBodySchema } from '@affiliate/contracts'
import { type Static, Type } from '@sinclair/typebox'
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

/** Error responses a route on an affiliate may give. */
export const errorResponses = { 400: ErrorBodySchema, 401: ErrorBodySchema, 404: ErrorBodySchema } as const
