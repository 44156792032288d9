// One shape for every error a client sees: {"status":"error","code":"…","message":"…"}.
// Services declare their errors with defineError (a stable lower_snake_case code and a
// status); this handler shows 4xx messages, hides the details of unexpected 5xx, and
// turns Fastify's own errors (validation, bad content type, body too large, 404) into
// the same shape.
import createError from '@fastify/error'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

const ownCodes = new Set<string>()

/**
 * Declares an error clients may see. `code` is the stable, documented, lower_snake_case
 * code of the body; @fastify/error upper-cases it on the instance, the handler lowers it.
 * A message may hold %s placeholders, filled from the constructor's arguments.
 */
export function defineError(code: string, message: string, statusCode: number) {
  const upper = code.toUpperCase()
  ownCodes.add(upper)
  return createError(upper, message, statusCode)
}

export const ErrorBodySchema = {
  type: 'object',
  required: ['status', 'code', 'message'],
  properties: {
    status: { type: 'string', enum: ['error'] },
    code: { type: 'string' },
    message: { type: 'string' },
    /** Set on bad_parameter: the parameter that was refused. */
    parameter: { type: 'string' },
  },
} as const

export interface ErrorBody {
  status: 'error'
  code: string
  message: string
  parameter?: string
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

type ValidationIssue = NonNullable<FastifyError['validation']>[number]

/** The parameter a schema validation error is about, e.g. "affiliate_id". */
export function parameterOf(issue: ValidationIssue): string {
  const missing = (issue.params as { missingProperty?: string } | undefined)?.missingProperty
  if (missing) return missing
  return issue.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'request'
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.validation && error.validation.length > 0) {
    const issue = error.validation[0]!
    const parameter = parameterOf(issue)
    const detail = issue.message ?? 'is invalid'
    const body: ErrorBody = { status: 'error', code: 'bad_parameter', message: `${parameter} ${detail}`, parameter }
    return reply.code(400).send(body)
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
  // Errors declared with defineError keep their code; Fastify's (FST_ERR_…) are mapped by status.
  const ours = ownCodes.has(error.code)
  // A declared 5xx (storage or reporting unavailable) is an outage whose cause is logged once
  // where it is found — the failed batch, the refused proxy connection — not again for every
  // request it turns away, which would flood the logs exactly when they are read.
  if (status >= 500 && !ours) {
    request.log.error({ err: error }, 'request failed')
    return reply.code(500).send({ status: 'error', code: 'internal_error', message: 'Internal server error' })
  }
  const code = ours ? error.code.toLowerCase() : (CODE_BY_STATUS[status] ?? 'error')
  // An error of ours may name the parameter it refuses (set by the thrower), like a schema error does.
  const parameter = ours ? (error as { parameter?: unknown }).parameter : undefined
  const body: ErrorBody = { status: 'error', code, message: error.message }
  if (typeof parameter === 'string') body.parameter = parameter
  return reply.code(status).send(body)
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  // The path only: a query string may carry a token.
  const path = request.url.split('?')[0]
  return reply.code(404).send({ status: 'error', code: 'not_found', message: `Route ${request.method} ${path} not found` })
}

export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)
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
