import { ConversionPageSchema, ConversionStatusSchema } from '@affiliate/contracts'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { requireAffiliate } from '../auth.ts'
import { decodeCursor, encodeCursor } from '../cursor.ts'
import { parseLimit } from '../limit.ts'
import { listConversions } from '../queries/conversions.ts'
import { parseRange } from '../range.ts'
import { AffiliateParamsSchema, RangeQuerySchema, errorResponses } from '../schemas.ts'
import type { RouteOptions } from './options.ts'

const ConversionsQuerySchema = Type.Composite([
  RangeQuerySchema,
  Type.Object({
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', default: '50', description: 'Page size, 1-500' })),
    cursor: Type.Optional(
      Type.String({ maxLength: 200, description: 'next_cursor of the previous page; omit for the newest conversions' }),
    ),
    status: Type.Optional({ ...ConversionStatusSchema, description: 'Only conversions with this status' }),
  }),
])

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
        response: { 200: ConversionPageSchema, ...errorResponses },
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
