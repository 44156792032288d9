// What an affiliate may promote, each with its ready click link. Every campaign is offered
// to every affiliate until a rule (per-affiliate approval, say) restricts them.
import { OfferListSchema } from '@affiliate/contracts'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireAffiliate } from '../auth.ts'
import { listCampaigns } from '../queries/affiliates.ts'
import { AffiliateParamsSchema, errorResponses } from '../schemas.ts'
import { clickUrl } from './postback-urls.ts'
import type { RouteOptions } from './options.ts'

export const offerRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { db, config }) => {
  app.get(
    '/affiliates/:id/offers',
    {
      preHandler: requireAffiliate(db),
      schema: {
        summary: 'Campaigns the affiliate may promote, with their click links',
        description: 'Every campaign, by id. Add &sub1=… (up to sub5) to a click link to label your traffic.',
        tags: ['affiliates'],
        params: AffiliateParamsSchema,
        response: { 200: OfferListSchema, ...errorResponses },
      },
    },
    async (request) => {
      const id = Number(request.params.id)
      const campaigns = await listCampaigns(db)
      const items = campaigns.map((c) => ({
        campaign_id: c.id,
        name: c.name,
        click_url: clickUrl(config.publicIngestUrl, id, c.id),
      }))
      return { items }
    },
  )
}
