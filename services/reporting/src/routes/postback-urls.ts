// The URLs an affiliate hands out: its postback URL (the advertiser fills the macros and
// its own token) and its click link. An operator's variant carries a campaign's token.
import { AffiliateUrlsSchema, CampaignUrlSchema, ErrorBodySchema } from '@affiliate/contracts'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { requireAdmin, requireAffiliate } from '../auth.ts'
import { UnknownCampaign } from '../errors.ts'
import { findCampaign } from '../queries/affiliates.ts'
import { AffiliateParamsSchema, IdSchema, errorResponses } from '../schemas.ts'
import type { RouteOptions } from './options.ts'

const POSTBACK_MACROS = [
  {
    macro: '{click_id}',
    description: 'The click_id your landing page received with the click; the advertiser sends it back.',
  },
  { macro: '{amount}', description: 'Sale amount, up to 14 digits and 4 decimals, e.g. 49.90.' },
  { macro: '{currency}', description: 'ISO 4217 currency code of the amount, e.g. USD.' },
  {
    macro: '{token}',
    description: "The advertiser's postback token; only the advertiser (and the network's operators) know it.",
  },
  {
    macro: 'txn_id, status (optional)',
    description:
      'Add &txn_id= for several conversions per click and &status=approved|pending|rejected (default approved).',
  },
]
const CLICK_MACROS = [
  { macro: '{campaign_id}', description: 'The campaign this link promotes.' },
  {
    macro: '{sub1}',
    description: 'Your traffic source or any label (sub1…sub5 are all optional, up to 255 characters each).',
  },
]

/** An affiliate's click link for a campaign: its id, or the {campaign_id} macro of the template. */
export function clickUrl(base: string, affiliateId: number, campaignId: number | '{campaign_id}'): string {
  return `${base}/click?affiliate_id=${affiliateId}&campaign_id=${campaignId}`
}

export const postbackUrlRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { db, config }) => {
  const base = config.publicIngestUrl

  app.get(
    '/affiliates/:id/postback-url',
    {
      preHandler: requireAffiliate(db),
      schema: {
        summary: "The affiliate's postback URL and click link",
        tags: ['affiliates'],
        params: AffiliateParamsSchema,
        response: { 200: AffiliateUrlsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const id = Number(request.params.id)
      return {
        affiliate_id: id,
        postback_url: `${base}/postback?affiliate_id=${id}&click_id={click_id}&amount={amount}&currency={currency}&token={token}`,
        click_url: `${clickUrl(base, id, '{campaign_id}')}&sub1={sub1}`,
        macros: [...POSTBACK_MACROS, ...CLICK_MACROS],
      }
    },
  )

  app.get(
    '/campaigns/:id/postback-url',
    {
      preHandler: requireAdmin,
      schema: {
        summary: "A campaign's full postback URL, with its advertiser's token (operators only)",
        description: 'In AUTH_MODE=key this needs an admin key.',
        tags: ['operators'],
        params: Type.Object({ id: IdSchema }),
        response: { 200: CampaignUrlSchema, 403: ErrorBodySchema, ...errorResponses },
      },
    },
    async (request) => {
      const campaign = await findCampaign(db, Number(request.params.id))
      if (!campaign) throw new UnknownCampaign()
      const token = encodeURIComponent(campaign.postback_token)
      return {
        campaign_id: campaign.id,
        name: campaign.name,
        postback_url: `${base}/postback?affiliate_id={affiliate_id}&click_id={click_id}&amount={amount}&currency={currency}&token=${token}`,
        token: campaign.postback_token,
        macros: [
          { macro: '{affiliate_id}', description: 'The affiliate_id the landing page received with the click.' },
          ...POSTBACK_MACROS.filter((m) => m.macro !== '{token}'),
        ],
      }
    },
  )
}
