// GET /click stores the click and, once it is committed, redirects to the campaign's
// landing URL (or answers JSON). HEAD /click redirects without storing or minting anything:
// link previews and crawlers probe links with HEAD.
import { ErrorBodySchema } from '@affiliate/http/errors'
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { isBotUserAgent } from '../bots.ts'
import { mintClickId } from '../click-id.ts'
import { ClickConflict, UnknownAffiliate, UnknownCampaign } from '../errors.ts'
import type { MacroValues } from '../landing-url.ts'
import type { NewClick } from '../queries/clicks.ts'
import type { CachedCampaign, ReferenceCache } from '../reference-cache.ts'
import { ClickId, Id, Text, cleanHeader, clientIp } from '../validation.ts'
import type { ClickWriter } from '../writers.ts'

export const ClickQuerySchema = Type.Object({
  affiliate_id: Id,
  campaign_id: Id,
  click_id: Type.Optional(ClickId),
  sub1: Type.Optional(Text(255)),
  sub2: Type.Optional(Text(255)),
  sub3: Type.Optional(Text(255)),
  sub4: Type.Optional(Text(255)),
  sub5: Type.Optional(Text(255)),
})
export type ClickQuery = Static<typeof ClickQuerySchema>

export const ClickJsonSchema = Type.Object({ status: Type.Literal('success'), click_id: Type.String() })

const errors = { '4xx': ErrorBodySchema, '5xx': ErrorBodySchema }

export interface ClickRoutesOptions {
  cache: ReferenceCache
  writer: ClickWriter
  /** @fastify/rate-limit route options, or false when CLICK_RATE_LIMIT=0. */
  rateLimit: { max: number; timeWindow: string } | false
}

export const clickRoutes: FastifyPluginAsyncTypebox<ClickRoutesOptions> = async (app, { cache, writer, rateLimit }) => {
  const config = { rateLimit }

  app.get(
    '/click',
    {
      schema: { querystring: ClickQuerySchema, response: { 200: ClickJsonSchema, 302: Type.Null(), ...errors } },
      config,
    },
    async (request, reply) => {
      const campaign = await findTarget(cache, request.query)
      const click = newClick(request.query, request)
      const outcome = await writer.push(click)
      if (outcome.status === 'conflict') throw new ClickConflict()
      // A replay answers as the first time: with the sub-ids stored then.
      const subs = outcome.status === 'replay' ? outcome.stored : click
      if (request.headers.accept?.includes('application/json')) {
        return { status: 'success' as const, click_id: click.click_id }
      }
      return redirect(reply, campaign, {
        ...subs,
        click_id: click.click_id,
        affiliate_id: click.affiliate_id,
        campaign_id: click.campaign_id,
      })
    },
  )

  app.head(
    '/click',
    { schema: { querystring: ClickQuerySchema, response: { 302: Type.Null(), ...errors } }, config },
    async (request, reply) => {
      const q = request.query
      const campaign = await findTarget(cache, q)
      return redirect(reply, campaign, {
        click_id: q.click_id ?? null,
        affiliate_id: q.affiliate_id,
        campaign_id: q.campaign_id,
        sub1: q.sub1 ?? null,
        sub2: q.sub2 ?? null,
        sub3: q.sub3 ?? null,
        sub4: q.sub4 ?? null,
        sub5: q.sub5 ?? null,
      })
    },
  )
}

async function findTarget(cache: ReferenceCache, q: ClickQuery): Promise<CachedCampaign> {
  if (!(await cache.hasAffiliate(Number(q.affiliate_id)))) throw new UnknownAffiliate()
  const campaign = await cache.campaign(Number(q.campaign_id))
  if (campaign === undefined) throw new UnknownCampaign()
  return campaign
}

function newClick(q: ClickQuery, request: FastifyRequest): NewClick {
  const userAgent = cleanHeader(request.headers['user-agent'], 512)
  return {
    click_id: q.click_id ?? mintClickId(),
    affiliate_id: Number(q.affiliate_id),
    campaign_id: Number(q.campaign_id),
    sub1: q.sub1 || null,
    sub2: q.sub2 || null,
    sub3: q.sub3 || null,
    sub4: q.sub4 || null,
    sub5: q.sub5 || null,
    is_bot: isBotUserAgent(userAgent),
    ip: clientIp(request.ip),
    user_agent: userAgent,
    referer: cleanHeader(request.headers.referer, 1024),
  }
}

function redirect(reply: FastifyReply, campaign: CachedCampaign, values: MacroValues) {
  // Every click must reach us: no cache may answer a later one in our place.
  return reply.header('cache-control', 'no-store').redirect(campaign.landingUrl(values), 302)
}
