// pino options shared by the services: JSON lines with a request id, no per-request
// line at info level (the hot path logs nothing), and no secret ever written out.
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { type FastifyServerOptions, LogController, type RawRequestDefaultExpression } from 'fastify'
import { clientErrorHandler, refuseMissingHost } from './errors.ts'

const SECRET_PARAMS = /([?&](?:token|key|api_key|access_token)=)[^&#]*/gi

/** The URL with the values of secret-bearing query parameters replaced. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]')
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
      serializers: {
        req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: redactUrl(req.url), ip: req.ip }),
      },
    },
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    // Keep a caller's request id when it is sane, so logs can be joined across systems.
    requestIdHeader: false,
    genReqId: (req: RawRequestDefaultExpression) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
  }
}
