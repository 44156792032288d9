// The reporting service: plugins first (errors, security headers, ops, OpenAPI, docs), then the /api routes
// behind the auth plugin. build() never listens; server.ts does.
import { installErrorHandling } from '@affiliate/http/errors'
import { serverOptions } from '@affiliate/http/logger'
import { createMetrics, ops } from '@affiliate/http/ops'
import { loadShedding } from '@affiliate/http/pressure'
import swagger from '@fastify/swagger'
import { isUnavailable } from '@affiliate/shared/db'
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { auth } from './auth.ts'
import type { ReportingConfig } from './config.ts'
import { type Db, isQueryCanceled, openDb } from './db.ts'
import { docs } from './docs.ts'
import { ReportTimeout, Unavailable } from './errors.ts'
import { affiliateRoutes } from './routes/affiliates.ts'
import { breakdownRoutes } from './routes/breakdown.ts'
import { conversionRoutes } from './routes/conversions.ts'
import { offerRoutes } from './routes/offers.ts'
import type { RouteOptions } from './routes/options.ts'
import { postbackUrlRoutes } from './routes/postback-urls.ts'
import { statsRoutes } from './routes/stats.ts'
import { securityHeaders } from './security-headers.ts'

export type BuildOptions = { config: Readonly<ReportingConfig> } & (
  | { db: Db; url?: never }
  /** The app opens the handle itself and closes it with the app. */
  | { url: string; db?: never }
)

export async function build(options: BuildOptions): Promise<FastifyInstance> {
  const { config } = options
  const opened =
    options.url === undefined
      ? undefined
      : await openDb(options.url, { statementTimeoutMs: config.reportingStatementTimeoutMs })
  const db = options.db ?? opened!.db

  const app = Fastify({ ...serverOptions(config.logLevel, undefined, { requestTimeoutMs: config.requestTimeoutMs }) })
  if (opened) app.addHook('onClose', () => opened.close())
  if (opened?.role) app.log.debug({ role: opened.role }, 'database sessions run as the read-only role')
  const { errorHandler } = installErrorHandling(app)
  await app.register(securityHeaders, { corsOrigins: config.corsOrigins })

  await app.register(ops, {
    metrics: createMetrics('reporting'),
    ready: () => sql`select 1`.execute(db),
    readyTimeoutMs: config.readyTimeoutMs,
  })
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Affiliate reporting API',
        version: '0.1.0',
        description:
          'Clicks, conversions and revenue per affiliate. Reports count whole UTC hours. ' +
          'Errors are {"status":"error","code","message"}.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      // Only needed with AUTH_MODE=key.
      security: config.authMode === 'key' ? [{ apiKey: [] }] : [],
    },
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  await app.register(docs)

  const routeOptions: RouteOptions = { db, config }
  await app.register(
    async (api) => {
      // A report cut off by statement_timeout (REPORTING_STATEMENT_TIMEOUT_MS), or a lost
      // database (refused, terminated, reset), is a 503 with Retry-After, not a 500.
      api.setErrorHandler((error, request, reply) => errorHandler(asAnswer(error), request, reply))
      await api.register(loadShedding, config)
      await api.register(auth, { mode: config.authMode, db })
      await api.register(affiliateRoutes, routeOptions)
      await api.register(statsRoutes, routeOptions)
      await api.register(breakdownRoutes, routeOptions)
      await api.register(conversionRoutes, routeOptions)
      await api.register(postbackUrlRoutes, routeOptions)
      await api.register(offerRoutes, routeOptions)
    },
    { prefix: '/api' },
  )
  return app
}

// Checked in this order: a cancelled statement (57014) is of the class isUnavailable counts too.
function asAnswer(error: unknown): FastifyError {
  if (isQueryCanceled(error)) return new ReportTimeout()
  if (isUnavailable(error)) return new Unavailable()
  return error as FastifyError
}
