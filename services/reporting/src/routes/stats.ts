// Summary, per campaign and over time: all from the hourly rollups.
import { CampaignReportSchema, IntervalSchema, SummarySchema, TimeseriesSchema } from '@affiliate/contracts'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { requireAffiliate } from '../auth.ts'
import { summarizeAffiliate, summarizeCampaigns, timeSeries } from '../queries/stats.ts'
import { echoRange, parseRange } from '../range.ts'
import { AffiliateParamsSchema, FiguresQuerySchema, errorResponses } from '../schemas.ts'
import type { RouteOptions } from './options.ts'

const TimeseriesQuerySchema = Type.Composite([
  FiguresQuerySchema,
  Type.Object({ interval: Type.Optional({ ...IntervalSchema, default: 'day' }) }),
])

/** Bounds the number of buckets a response may hold. */
const MAX_DAYS = { hour: 93, day: 3660 } as const

const RANGE_NOTE =
  'Counted from the hourly rollups: from is rounded down and to up to whole UTC hours; the response echoes the range counted.'

export const statsRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { db }) => {
  app.addHook('preHandler', requireAffiliate(db))

  app.get(
    '/affiliates/:id/summary',
    {
      schema: {
        summary: "An affiliate's figures over a range",
        description: RANGE_NOTE,
        tags: ['reports'],
        params: AffiliateParamsSchema,
        querystring: FiguresQuerySchema,
        response: { 200: SummarySchema, ...errorResponses },
      },
    },
    async (request) => {
      const range = parseRange(request.query)
      const figures = await summarizeAffiliate(
        db,
        Number(request.params.id),
        range,
        request.query.include_bots ?? false,
      )
      return { ...echoRange(range), ...figures }
    },
  )

  app.get(
    '/affiliates/:id/campaigns',
    {
      schema: {
        summary: 'Figures per campaign',
        description: `${RANGE_NOTE} Campaigns with any activity in the range, most clicks first.`,
        tags: ['reports'],
        params: AffiliateParamsSchema,
        querystring: FiguresQuerySchema,
        response: { 200: CampaignReportSchema, ...errorResponses },
      },
    },
    async (request) => {
      const range = parseRange(request.query)
      const items = await summarizeCampaigns(db, Number(request.params.id), range, request.query.include_bots ?? false)
      return { ...echoRange(range), items }
    },
  )

  app.get(
    '/affiliates/:id/timeseries',
    {
      schema: {
        summary: 'Figures per hour or day',
        description: `${RANGE_NOTE} Every bucket is listed, also empty ones; day buckets start at UTC midnight and the first and last cover only the part inside the range.`,
        tags: ['reports'],
        params: AffiliateParamsSchema,
        querystring: TimeseriesQuerySchema,
        response: { 200: TimeseriesSchema, ...errorResponses },
      },
    },
    async (request) => {
      const interval = request.query.interval ?? 'day'
      const range = parseRange(request.query, Date.now(), MAX_DAYS[interval])
      const items = await timeSeries(
        db,
        Number(request.params.id),
        range,
        interval,
        request.query.include_bots ?? false,
      )
      return { ...echoRange(range), interval, items }
    },
  )
}
