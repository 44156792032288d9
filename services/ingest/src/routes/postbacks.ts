// GET /postback (also POST, form or JSON body): an advertiser's server reports a conversion.
// Checks run in the documented order: malformed parameter 400, token 401, click 404,
// attribution window 422, same key with other values 409. A replay answers 200 with
// "duplicate": true and stores nothing.
import type { ConversionStatus } from '@affiliate/contracts/values'
import { ErrorBodySchema } from '@affiliate/http/errors'
import { isSecretName } from '@affiliate/http/logger'
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { ClickExpired, DuplicateConflict, InvalidClick, InvalidToken } from '../errors.ts'
import type { NewConversion } from '../queries/conversions.ts'
import type { ReferenceCache } from '../reference-cache.ts'
import { Amount, ClickId, Currency, Id, Status, Text, cleanHeader, clientIp } from '../validation.ts'
import type { ConversionWriter } from '../writers.ts'

export const PostbackParamsSchema = Type.Object({
  affiliate_id: Id,
  click_id: ClickId,
  amount: Amount,
  currency: Currency,
  txn_id: Type.Optional(Text(128)),
  status: Type.Optional(Status),
  token: Type.Optional(Text(256)),
})
export type PostbackParams = Static<typeof PostbackParamsSchema>

export const PostbackOkSchema = Type.Object({
  status: Type.Literal('success'),
  message: Type.Literal('Conversion tracked'),
  duplicate: Type.Optional(Type.Literal(true)),
})
type PostbackOk = Static<typeof PostbackOkSchema>

const response = { 200: PostbackOkSchema, '4xx': ErrorBodySchema, '5xx': ErrorBodySchema }

export interface PostbackRoutesOptions {
  cache: ReferenceCache
  writer: ConversionWriter
  tokenRequired: boolean
}

const failures = {
  invalid_click: InvalidClick,
  click_expired: ClickExpired,
  duplicate_conflict: DuplicateConflict,
} as const

export const postbackRoutes: FastifyPluginAsyncTypebox<PostbackRoutesOptions> = async (app, options) => {
  const track = async (params: PostbackParams, request: FastifyRequest): Promise<PostbackOk> => {
    const campaignIds = await advertiserCampaigns(options, params.token)
    const outcome = await options.writer.push(newConversion(params, campaignIds, request))
    if (outcome === 'inserted') return { status: 'success', message: 'Conversion tracked' }
    if (outcome === 'duplicate') return { status: 'success', message: 'Conversion tracked', duplicate: true }
    throw new failures[outcome]()
  }
  app.get('/postback', { schema: { querystring: PostbackParamsSchema, response } }, (request) =>
    track(request.query, request),
  )
  app.post(
    '/postback',
    {
      schema: { body: PostbackParamsSchema, response },
      // Some advertisers POST with the parameters in the query string and no body.
      preValidation: (request, _reply, done) => {
        request.body ??= request.query as PostbackParams
        done()
      },
    },
    (request) => track(request.body, request),
  )
}

/**
 * The campaigns of the advertiser whose token was given; null (any campaign) only when
 * POSTBACK_TOKEN_REQUIRED=false and no token was sent. A given token is always checked.
 */
async function advertiserCampaigns(
  { cache, tokenRequired }: PostbackRoutesOptions,
  token: string | undefined,
): Promise<readonly number[] | null> {
  if (!token) {
    if (tokenRequired) throw new InvalidToken()
    return null
  }
  const campaignIds = await cache.campaignsForToken(token)
  if (campaignIds === undefined) throw new InvalidToken()
  return campaignIds
}

function newConversion(
  params: PostbackParams,
  campaignIds: readonly number[] | null,
  request: FastifyRequest,
): NewConversion {
  return {
    click_id: params.click_id,
    txn_id: params.txn_id ?? '',
    affiliate_id: Number(params.affiliate_id),
    amount: params.amount,
    currency: params.currency.toUpperCase(),
    status: (params.status?.toLowerCase() ?? 'approved') as ConversionStatus,
    campaign_ids: campaignIds,
    source_ip: clientIp(request.ip),
    raw_request: rawRequest(params, request),
  }
}

const MAX_FIELDS = 32

/** What the caller sent, kept as evidence for payout disputes: secrets redacted, text cleaned and cut. */
function rawRequest(params: Record<string, unknown>, request: FastifyRequest): string {
  const sent: Record<string, unknown> = {}
  for (const key of Object.keys(params).slice(0, MAX_FIELDS)) {
    const value = params[key]
    sent[clean(key, 64)] = isSecretName(key)
      ? '[redacted]'
      : Array.isArray(value)
        ? value.map(cleanValue)
        : cleanValue(value)
  }
  return JSON.stringify({
    method: request.method,
    params: sent,
    user_agent: cleanHeader(request.headers['user-agent'], 512),
  })
}

function cleanValue(value: unknown): unknown {
  if (typeof value === 'string') return clean(value, 256)
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value
  return '[unsupported]'
}

// NUL and lone surrogates cannot be stored in jsonb; control characters are noise.
function clean(text: string, maxLength: number): string {
  return text.slice(0, maxLength).replace(/[\u0000-\u001f\u007f\p{Cs}]/gu, '')
}
