// Options shared by every server: pino JSON lines with a request id, no per-request line at
// info level (the hot path logs nothing), no secret ever written out, and router errors
// answered in our shape.
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { type FastifyServerOptions, LogController, type RawRequestDefaultExpression } from 'fastify'
import { clientErrorHandler, frameworkErrors, refuseMissingHost } from './errors.ts'

const SECRET_NAME = /token|key|secret|password|auth/

/**
 * Whether a parameter or field named `name` carries a secret (an advertiser token, an API key).
 * Judged on the name as a parser reads it — percent-decoded, then lower-cased with array
 * suffixes (`token[]`, `token[0]`), NUL and other control characters and punctuation dropped —
 * so no spelling that reaches a handler as `token` (`%74oken`) slips past. A name that does not
 * decode counts as secret: what a lenient parser makes of it is anyone's guess.
 */
export function isSecretName(name: string): boolean {
  let decoded: string
  try {
    decoded = decodeURIComponent(name.replace(/\+/g, ' '))
  } catch {
    return true
  }
  return SECRET_NAME.test(decoded.toLowerCase().replace(/[^a-z0-9]/g, ''))
}

/** The URL with the value of every query parameter whose name isSecretName replaced. */
export function redactUrl(url: string): string {
  const start = url.indexOf('?')
  if (start === -1) return url
  const pairs = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      return eq !== -1 && isSecretName(pair.slice(0, eq)) ? `${pair.slice(0, eq + 1)}[redacted]` : pair
    })
  return `${url.slice(0, start)}?${pairs.join('&')}`
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/

export interface ServerLimits {
  /** A request's headers and body must arrive within this (REQUEST_TIMEOUT_MS), else 408. */
  requestTimeoutMs?: number
}

/** `stream`: where pino writes instead of stdout (tests capture the lines). */
export function serverOptions(
  level: string,
  stream?: { write(line: string): unknown },
  { requestTimeoutMs = 10_000 }: ServerLimits = {},
): FastifyServerOptions {
  return {
    // The Node server, built here so that every service gets the same limits: slow clients
    // (headers or body trickling in) are cut off with a 408 checked for at least once a second,
    // and a request without Host is refused in our shape rather than Node's empty 400.
    serverFactory: (handler, options) =>
      createServer(
        {
          requireHostHeader: false,
          requestTimeout: requestTimeoutMs,
          headersTimeout: requestTimeoutMs,
          connectionsCheckingInterval: Math.min(1_000, requestTimeoutMs),
          keepAliveTimeout: options.keepAliveTimeout as number,
        },
        (req, res) =>
          req.headers.host === undefined && req.httpVersion === '1.1' ? refuseMissingHost(res) : handler(req, res),
      ),
    clientErrorHandler,
    logger: {
      level,
      ...(stream && { stream }),
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          '*.token',
          '*.postback_token',
          '*.password',
          '*.key',
        ],
        censor: '[redacted]',
      },
      // Every logged URL goes through redactUrl: the request's, and the upstream one that
      // @fastify/reply-from (the dashboard's /api proxy) logs as `source`, query string included.
      serializers: {
        req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: redactUrl(req.url), ip: req.ip }),
        source: (source: unknown) => (typeof source === 'string' ? redactUrl(source) : source),
      },
    },
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    frameworkErrors,
    // Keep a caller's request id when it is sane, so logs can be joined across systems.
    requestIdHeader: false,
    genReqId: (req: RawRequestDefaultExpression) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
  }
}
