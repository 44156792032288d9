import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox'
import { requireAffiliate } from '../auth.ts'
import { decodeCursor, encodeCursor } from '../cursor.ts'
import { parseLimit } from '../limit.ts'
import { listConversions } from '../queries/conversions.ts'
import { parseRange } from '../range.ts'
import { AffiliateParamsSchema, RangeQuerySchema, errorResponses } from '../schemas.ts'
import type { RouteOptions } from './options.ts'

const StatusSchema = Type.Union([Type.Literal('approved'), Type.Literal('pending'), Type.Literal('rejected')])

const ConversionsQuerySchema = Type.Composite([
  RangeQuerySchema,
  Type.Object({
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', default: '50', description: 'Page size, 1-500' })),
    cursor: Type.Optional(
      Type.String({ maxLength: 200, description: 'next_cursor of the previous page; omit for the newest conversions' }),
    ),
    status: Type.Optional({ ...StatusSchema, description: 'Only conversions with this status' }),
  }),
])

const ConversionsSchema = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      click_id: Type.String(),
      txn_id: Type.String(),
      campaign_id: Type.Integer(),
      amount: Type.String({ examples: ['25.5000'] }),
      currency: Type.String(),
      status: StatusSchema,
      timestamp: Type.String({ format: 'date-time', description: 'To the microsecond, UTC' }),
    }),
  ),
  next_cursor: Type.Union([Type.String(), Type.Null()], {
    description: 'Pass as cursor for the next page; null on the last',
  }),
})

export const conversionRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { db }) => {
  app.addHook('preHandler', requireAffiliate(db))

  app.get(
    '/affiliates/:id/conversions',
    {
      schema: {
        summary: "An affiliate's conversions, newest first",
        description:
          'Keyset pagination over (timestamp, id): follow next_cursor until it is null. Conversions that arrive meanwhile ' +
          'cause no gap and no repeat. from/to are rounded to whole UTC hours like every report.',
        tags: ['reports'],
        params: AffiliateParamsSchema,
        querystring: ConversionsQuerySchema,
        response: { 200: ConversionsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { query } = request
      const range = parseRange(query)
      const page = await listConversions(db, Number(request.params.id), {
        range,
        limit: parseLimit(query.limit ?? '50', 500),
        cursor: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
        status: query.status,
      })
      return {
        from: range.from.toISOString(),
        to: range.to.toISOString(),
        items: page.items,
        next_cursor: page.next ? encodeCursor(page.next) : null,
      }
    },
  )
}
