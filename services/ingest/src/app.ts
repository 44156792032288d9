// The ingest service: GET /click, GET|POST /postback, and /healthz, /readyz, /metrics.
import { badParameter, installErrorHandling } from '@affiliate/http/errors'
import { serverOptions } from '@affiliate/http/logger'
import { ops } from '@affiliate/http/ops'
import { loadShedding } from '@affiliate/http/pressure'
import formbody from '@fastify/formbody'
import rateLimit from '@fastify/rate-limit'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type RawServerDefault,
} from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { IngestConfig } from './config.ts'
import { isUnavailable, type Sql } from './db.ts'
import { RateLimited, Unavailable } from './errors.ts'
import { createIngestMetrics } from './metrics.ts'
import { invalidEncodingOf, parseQueryString } from './query-string.ts'
import { createPartitionUpkeep } from './partition-upkeep.ts'
import { createReferenceCache } from './reference-cache.ts'
import { clickRoutes } from './routes/clicks.ts'
import { postbackRoutes } from './routes/postbacks.ts'
import { addKeywords } from './validation.ts'
import { createWriters } from './writers.ts'

export interface BuildOptions {
  config: Readonly<IngestConfig>
  sql: Sql
  /** Where pino writes (tests capture it); stdout when omitted. */
  logStream?: NodeJS.WritableStream
  /** Runs on close after in-flight writes are committed, e.g. to end the pool. */
  onClose?: () => Promise<unknown>
}

// Postbacks are a few hundred bytes; anything near this is not a postback.
const BODY_LIMIT = 16 * 1024
const REFERENCE_REFRESH_MS = 5_000

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

export async function build({ config, sql, logStream, onClose }: BuildOptions): Promise<App> {
  const app = Fastify<RawServerDefault>({
    ...serverOptions(config.logLevel, logStream, { requestTimeoutMs: config.requestTimeoutMs }),
    trustProxy: config.trustProxy,
    bodyLimit: BODY_LIMIT,
    // An automatic HEAD route would run the GET handler, and store. HEAD /click is its own route.
    exposeHeadRoutes: false,
    routerOptions: { querystringParser: parseQueryString },
    ajv: { plugins: [addKeywords] },
  }).withTypeProvider<TypeBoxTypeProvider>()

  const metrics = createIngestMetrics()
  // Rejections by code, counted where the code is chosen.
  const { errorHandler } = installErrorHandling(app, (code, _status, request) =>
    metrics.rejections.inc({ route: request.routeOptions.url ?? 'unmatched', code }),
  )
  await app.register(ops, { metrics, ready: () => sql`select 1`, readyTimeoutMs: config.readyTimeoutMs })
  await app.register(rateLimit, {
    global: false,
    // Headers only on a 429: three extra headers on every redirect cost more than they tell.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    errorResponseBuilder: (_request, context) => new RateLimited(context.after),
  })
  await app.register(formbody, { parser: parseQueryString })

  // Hot-path hooks take callbacks: no promise per request.
  app.addHook('preValidation', (request, _reply, done) => {
    const parameter = invalidEncodingOf(request.query) ?? invalidEncodingOf(request.body)
    done(parameter === undefined ? undefined : badParameter(parameter, 'has invalid percent-encoding'))
  })
  // Closing waits for every open connection: a keep-alive connection whose request was in
  // flight when close began would otherwise stay open after its answer, for keepAliveTimeout.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close')
    done(null, payload)
  })

  const cache = createReferenceCache(sql, {
    refreshMs: REFERENCE_REFRESH_MS,
    onError: (err) => app.log.warn({ err }, 'reference data refresh failed'),
  })
  const writers = createWriters(sql, {
    metrics,
    attributionWindowDays: config.attributionWindowDays,
    writeTimeoutMs: config.writeTimeoutMs,
    maxPendingWrites: config.maxPendingWrites,
    onError: (err, size) => app.log.error({ err, size }, 'batch write failed'),
  })
  const upkeep = createPartitionUpkeep(sql, { retentionDays: config.rawRetentionDays, log: app.log })
  app.addHook('onReady', async () => {
    await Promise.all([cache.start(), upkeep.start()])
  })
  app.addHook('onClose', async () => {
    // The server has stopped accepting and in-flight requests have been answered by now.
    await writers.drain()
    await Promise.all([cache.stop(), upkeep.stop()])
    await onClose?.()
  })

  const limit = config.clickRateLimit > 0 && { max: config.clickRateLimit, timeWindow: '1 minute' }
  await app.register(async (routes) => {
    // However a write or a read-through fails for want of a database, the client sees 503 unavailable.
    routes.setErrorHandler((error, request, reply) =>
      errorHandler(isUnavailable(error) ? new Unavailable() : (error as FastifyError), request, reply),
    )
    await routes.register(loadShedding, config)
    await routes.register(clickRoutes, { cache, writer: writers.clicks, rateLimit: limit })
    await routes.register(postbackRoutes, {
      cache,
      writer: writers.conversions,
      tokenRequired: config.postbackTokenRequired,
    })
  })
  return app
}
