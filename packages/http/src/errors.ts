// One shape for every error a client sees: {"status":"error","code":"…","message":"…"}.
// Services declare their errors with defineError (a stable lower_snake_case code and a
// status); this handler shows 4xx messages, hides the details of unexpected 5xx, and
// turns Fastify's own errors (validation, bad content type, body too large, 404) into
// the same shape. It is the one place that knows an answer's code, so it also tells the
// service (onError) what it answered, for metrics.
import type { ErrorBody } from '@affiliate/contracts'
import createError from '@fastify/error'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { STATUS_CODES, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

// Defined once, in the contract the dashboard reads too; re-exported for the services' route schemas.
export { type ErrorBody, ErrorBodySchema } from '@affiliate/contracts'

const ownCodes = new Set<string>()

/**
 * Declares an error clients may see. `code` is the stable, documented, lower_snake_case
 * code of the body; @fastify/error upper-cases it on the instance, the handler lowers it.
 * A message may hold %s placeholders, filled from the constructor's arguments.
 */
export function defineError<Args extends unknown[] = [unknown?, unknown?, unknown?]>(
  code: string,
  message: string,
  statusCode: number,
) {
  const upper = code.toUpperCase()
  ownCodes.add(upper)
  // No stack trace: a declared error is an expected answer, never logged, so capturing one
  // would only cost time on every refused request.
  return createError<Args>(upper, message, statusCode, Error, false)
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  431: 'headers_too_large',
  503: 'unavailable',
}

const BadParameter = defineError<[parameter: string, detail: string]>('bad_parameter', '%s %s', 400)
const RouteNotFound = defineError<[method: string, path: string]>('not_found', 'Route %s %s not found', 404)

/** Load shedding: answered at once instead of queueing the request without bound. */
export const Overloaded = defineError(
  'overloaded',
  'The service is overloaded and did nothing with this request; retry shortly',
  503,
)

/** Every 503 tells the client when to try again (Retry-After, in seconds). */
export const RETRY_AFTER_SECONDS = 1

// Requests Node's HTTP parser refuses before Fastify sees them (its clientError), by the
// parser's error code; anything else it refuses is a malformed request, 400.
const CLIENT_ERRORS: Record<string, [status: number, message: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'The request headers, the URL included, are too large'],
  HPE_INVALID_METHOD: [405, 'Unknown HTTP method'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'The chunk extensions are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request did not arrive in time'],
}
const MALFORMED: [number, string] = [400, 'Malformed HTTP request']
// How long a refused client may keep sending (what it sends is read and dropped) before its
// connection is cut: closing with unread data would reset it, and the answer could be lost.
const LINGER_MS = 2_000

function errorJson(status: number, message: string): string {
  const body: ErrorBody = { status: 'error', code: CODE_BY_STATUS[status] ?? 'error', message }
  return JSON.stringify(body)
}

/**
 * Fastify's clientErrorHandler: answers what Node's HTTP parser refuses (headers too large,
 * an unknown method, a malformed request line or header, a request that did not arrive in
 * time) in the one shape, then closes the connection. Nothing of the request is echoed or
 * logged but the parser's code: its raw bytes may hold a token.
 */
export function clientErrorHandler(
  this: FastifyInstance,
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Socket,
) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  // Already answered: the parser reports the same error for whatever else arrives.
  if (!socket.writable) return
  this.log.debug({ code: error.code }, 'refused a malformed request')
  // Never write into a response that has begun (a timeout during a pipelined answer).
  if ((socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
    socket.destroy()
    return
  }
  const [status, message] = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED
  const body = errorJson(status, message)
  const head =
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`
  // A HEAD answer carries no body (when the request line could be read at all).
  const packet = error.rawPacket
  socket.end(Buffer.isBuffer(packet) && packet.toString('latin1', 0, 5) === 'HEAD ' ? head : head + body)
  const linger = setTimeout(() => socket.destroy(), LINGER_MS).unref()
  socket.once('close', () => clearTimeout(linger))
}

/**
 * An HTTP/1.1 request without a Host header, which Node would refuse with an empty 400 (its
 * requireHostHeader, turned off in serverOptions so that the refusal is in our shape).
 */
export function refuseMissingHost(res: ServerResponse) {
  const body = errorJson(400, 'A Host header is required')
  res.writeHead(400, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  })
  res.end(body)
}

/**
 * A 400 naming the parameter it refuses: {"code":"bad_parameter","message":"<parameter>
 * <detail>","parameter":"<parameter>"}. Schema violations become one too; services throw it
 * for the checks a schema cannot express.
 */
export function badParameter(parameter: string, detail: string) {
  return Object.assign(new BadParameter(parameter, detail), { parameter })
}

type ValidationIssue = NonNullable<FastifyError['validation']>[number]

/** The parameter a schema validation error is about, e.g. "affiliate_id". */
export function parameterOf(issue: ValidationIssue): string {
  const missing = (issue.params as { missingProperty?: string } | undefined)?.missingProperty
  if (missing) return missing
  return issue.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'request'
}

/** Told the code and status of every error answer, e.g. to count rejections. */
export type OnError = (code: string, status: number, request: FastifyRequest) => void

export function errorHandlers(onError?: OnError) {
  function answer(request: FastifyRequest, reply: FastifyReply, status: number, body: ErrorBody) {
    onError?.(body.code, status, request)
    if (status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS))
    return reply.code(status).send(body)
  }

  function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    const issue = error.validation?.[0]
    if (issue) error = badParameter(parameterOf(issue), issue.message ?? 'is invalid')
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
    // Errors declared with defineError keep their code; Fastify's (FST_ERR_…) are mapped by status.
    const ours = ownCodes.has(error.code)
    // A declared 5xx (storage or reporting unavailable) is an outage whose cause is logged once
    // where it is found — the failed batch, the refused proxy connection — not again for every
    // request it turns away, which would flood the logs exactly when they are read.
    if (status >= 500 && !ours) {
      request.log.error({ err: error }, 'request failed')
      return answer(request, reply, 500, { status: 'error', code: 'internal_error', message: 'Internal server error' })
    }
    const code = ours ? error.code.toLowerCase() : (CODE_BY_STATUS[status] ?? 'error')
    const body: ErrorBody = { status: 'error', code, message: error.message }
    // An error of ours may name the parameter it refuses (badParameter sets it).
    const parameter = ours ? (error as { parameter?: unknown }).parameter : undefined
    if (typeof parameter === 'string') body.parameter = parameter
    return answer(request, reply, status, body)
  }

  function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
    // The path only: a query string may carry a token.
    return errorHandler(new RouteNotFound(request.method, request.url.split('?')[0]!), request, reply)
  }

  return { errorHandler, notFoundHandler }
}

/** The handlers without an onError hook, for servers that count nothing by code. */
export const { errorHandler, notFoundHandler } = errorHandlers()

/** Installs the handlers on `app`; returns them for encapsulated contexts that wrap errorHandler. */
export function installErrorHandling(app: FastifyInstance, onError?: OnError) {
  const handlers = errorHandlers(onError)
  app.setErrorHandler(handlers.errorHandler)
  app.setNotFoundHandler(handlers.notFoundHandler)
  return handlers
}

// Fastify's router refuses a path it cannot decode (FST_ERR_BAD_URL: `/%ff`) or whose parameter
// is too long before any hook runs, in a body of its own that quotes the whole URL, query string
// and token included. As the server's frameworkErrors (serverOptions sets it), this answers them
// through the app's own error handler, with a message that quotes nothing of the URL.
const ROUTER_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL path is not valid percent-encoding',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter of the URL is too long',
}

export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  error.message = ROUTER_MESSAGES[error.code] ?? 'The request could not be routed'
  return request.server.errorHandler.call(request.server, error, request, reply)
}
