// The dashboard's server: the built SPA (web/dist) plus a same-origin proxy to the
// reporting API, so the browser never needs CORS or to know where reporting runs.
import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { errorHandler, notFoundHandler } from '@affiliate/http/errors'
import { serverOptions } from '@affiliate/http/logger'
import { createMetrics, ops } from '@affiliate/http/ops'
import type { LogLevel } from '@affiliate/shared/config'
import helmet from '@fastify/helmet'
import proxy from '@fastify/http-proxy'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyReply } from 'fastify'
import { ReportingTimeout, ReportingUnavailable } from './errors.ts'
import { PROXIED } from './proxied.ts'

export interface WebOptions {
  /** The output of `vite build`. */
  distDir: string
  /** Base URL of the reporting service (REPORTING_URL). */
  reportingUrl: string
  logLevel: LogLevel
  /** Where pino writes (tests capture it); stdout when omitted. */
  logStream?: { write(line: string): unknown }
  /** REPORTING_PROXY_TIMEOUT_MS: how long a proxied request waits for reporting's answer (headers, then body). */
  proxyTimeoutMs?: number
  /** REQUEST_TIMEOUT_MS: a client's request must arrive whole within this. */
  requestTimeoutMs?: number
}

// Vite puts a content hash in every asset name: a new build has new names, so they never go stale.
const IMMUTABLE = 'public, max-age=31536000, immutable'

function pageHeaders(reply: FastifyReply) {
  reply.header('cache-control', 'no-cache')
}

// The SPA is one script and one stylesheet from this origin, an icon as a data: URL, and fetches
// to /api here; uPlot and React set styles through the DOM, which style-src does not govern.
// Proxied answers (/api, /docs) keep the reporting service's own headers, which take precedence.
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
}

export async function build({
  distDir,
  reportingUrl,
  logLevel,
  proxyTimeoutMs = 10_000,
  requestTimeoutMs,
  logStream,
}: WebOptions) {
  const app = Fastify(serverOptions(logLevel, logStream, { requestTimeoutMs }))
  // The shared error shape; the not-found handler is ours (below) because of the SPA fallback.
  app.setErrorHandler(errorHandler)
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
  })
  await app.register(ops, { metrics: createMetrics('web'), ready: () => access(join(distDir, 'index.html')) })

  for (const prefix of PROXIED) {
    await app.register(proxy, {
      upstream: reportingUrl,
      prefix,
      rewritePrefix: prefix,
      // reply-from logs every proxied request at info; the house rule is no per-request info line.
      logLevel: logLevel === 'fatal' || logLevel === 'error' || logLevel === 'silent' ? logLevel : 'warn',
      // reply-from has already logged the cause (refused, reset, timeout) at warn; its timeout
      // error is a 504, everything else (refused, reset) is an unavailable reporting API.
      replyOptions: {
        timeout: proxyTimeoutMs,
        onError: (reply, { error }) =>
          void reply.send(
            (error as { statusCode?: number }).statusCode === 504 ? new ReportingTimeout() : new ReportingUnavailable(),
          ),
      },
    })
  }

  await app.register(fastifyStatic, {
    root: distDir,
    cacheControl: false,
    setHeaders: (reply, path) => {
      if (path.includes(`${join(distDir, 'assets')}`)) reply.header('cache-control', IMMUTABLE)
      else pageHeaders(reply)
    },
  })

  // The SPA's own URLs (/?range=7d, a bookmarked deep link) get index.html; anything
  // else unknown — an API client, a missing asset — keeps the JSON 404.
  app.setNotFoundHandler((request, reply) => {
    const wantsPage =
      (request.method === 'GET' || request.method === 'HEAD') && request.headers.accept?.includes('text/html')
    if (!wantsPage || request.url.startsWith('/assets/')) return notFoundHandler(request, reply)
    pageHeaders(reply)
    return reply.sendFile('index.html')
  })
  return app
}
