import { AffiliateListSchema, ErrorBodySchema } from '@affiliate/contracts'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { visibleAffiliate } from '../auth.ts'
import { listAffiliates } from '../queries/affiliates.ts'
import type { RouteOptions } from './options.ts'

export const affiliateRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { db }) => {
  app.get(
    '/affiliates',
    {
      schema: {
        summary: 'Affiliates for the affiliate picker',
        description: 'With an affiliate key (AUTH_MODE=key), only that affiliate.',
        tags: ['affiliates'],
        response: { 200: AffiliateListSchema, 401: ErrorBodySchema },
      },
    },
    async (request) => ({ items: await listAffiliates(db, visibleAffiliate(request.viewer)) }),
  )
}
