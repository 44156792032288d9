import { BreakdownSchema, SubIdSchema } from '@affiliate/contracts'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { requireAffiliate } from '../auth.ts'
import { UnknownCampaign } from '../errors.ts'
import { parseLimit } from '../limit.ts'
import { findCampaign } from '../queries/affiliates.ts'
import { breakdownBySubId } from '../queries/breakdown.ts'
import { echoRange, parseRange } from '../range.ts'
import { AffiliateParamsSchema, FiguresQuerySchema, IdSchema, errorResponses } from '../schemas.ts'
import type { RouteOptions } from './options.ts'

/** The one report over raw clicks: its range is capped so that its cost is bounded. */
export const BREAKDOWN_MAX_DAYS = 31

const BreakdownQuerySchema = Type.Composite([
  FiguresQuerySchema,
  Type.Object({
    by: { ...SubIdSchema, description: 'The sub-id whose values are ranked' },
    campaign_id: Type.Optional({ ...IdSchema, description: 'Only this campaign' }),
    limit: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,3}$', default: '50', description: 'Values to return, 1-500' }),
    ),
  }),
])

export const breakdownRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { db }) => {
  app.addHook('preHandler', requireAffiliate(db))

  app.get(
    '/affiliates/:id/breakdown',
    {
      schema: {
        summary: 'Top values of a sub-id',
        description:
          `Values of sub1…sub5 ranked by clicks (null: clicks without that sub-id). Reads raw clicks, so the range is at most ${BREAKDOWN_MAX_DAYS} days; ` +
          'it is rounded to whole UTC hours like every report. Conversions count at their own time, attributed to the sub-id of their click.',
        tags: ['reports'],
        params: AffiliateParamsSchema,
        querystring: BreakdownQuerySchema,
        response: { 200: BreakdownSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { query } = request
      const range = parseRange(query, Date.now(), BREAKDOWN_MAX_DAYS)
      const limit = parseLimit(query.limit ?? '50', 500)
      const campaignId = query.campaign_id === undefined ? undefined : Number(query.campaign_id)
      if (campaignId !== undefined && !(await findCampaign(db, campaignId))) throw new UnknownCampaign()
      const items = await breakdownBySubId(db, Number(request.params.id), {
        range,
        by: query.by,
        campaignId,
        limit,
        includeBots: query.include_bots ?? false,
      })
      return { ...echoRange(range), by: query.by, campaign_id: campaignId ?? null, items }
    },
  )
}
