// pino options shared by the services: JSON lines with a request id, no per-request
// line at info level (the hot path logs nothing), and no secret ever written out.
import { randomUUID } from 'node:crypto'
import { type FastifyServerOptions, LogController, type RawRequestDefaultExpression } from 'fastify'

const SECRET_PARAMS = /([?&](?:token|key|api_key|access_token)=)[^&#]*/gi

/** The URL with the values of secret-bearing query parameters replaced. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]')
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/

/** `stream`: where pino writes instead of stdout (tests capture the lines). */
export function serverOptions(level: string, stream?: { write(line: string): unknown }): FastifyServerOptions {
  return {
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
