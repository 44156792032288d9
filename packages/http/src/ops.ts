// Health, readiness and Prometheus metrics, the same for every service.
// Labels are bounded: the route pattern (never the raw URL), method and status.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { defineError } from './errors.ts'

// Answered by the service's error handler, like every other error (and counted by it).
const NotReady = defineError('not_ready', 'Database unreachable', 503)

export interface Metrics {
  registry: Registry
  requests: Counter<'method' | 'route' | 'status_code'>
  duration: Histogram<'method' | 'route'>
}

export function createMetrics(service: string): Metrics {
  const registry = new Registry()
  registry.setDefaultLabels({ service })
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    requests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route pattern and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request received to response sent',
      labelNames: ['method', 'route'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  }
}

export interface OpsOptions {
  metrics: Metrics
  /** Throws when the service cannot serve (e.g. the database is unreachable). */
  ready: () => Promise<unknown>
  /** How long /readyz waits for `ready` before answering 503 not_ready (READY_TIMEOUT_MS's default). */
  readyTimeoutMs?: number
}

export const ops = fp<OpsOptions>(
  async (app: FastifyInstance, { metrics, ready, readyTimeoutMs = 1_000 }) => {
    // One probe at a time: while the database stalls, a probe per /readyz would pile up, each
    // waiting for a connection that the writes need once it answers again. But one older than
    // the deadline is given up for a new one: it may be stuck on a connection that a crash or a
    // partition left half-open, and would answer every /readyz 503 until TCP noticed, long after
    // the database is back. So at most one probe per readyTimeoutMs waits on a stalled database.
    let probe: { promise: Promise<unknown>; startedAt: number } | undefined
    const probeOnce = () => {
      const now = performance.now()
      if (probe === undefined || now - probe.startedAt >= readyTimeoutMs) {
        const current = { startedAt: now, promise: ready() }
        probe = current
        void current.promise.then(
          () => probe === current && (probe = undefined),
          () => probe === current && (probe = undefined),
        )
      }
      return probe.promise
    }

    app.addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id)
    })
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched'
      metrics.requests.inc({ method: request.method, route, status_code: String(reply.statusCode) })
      metrics.duration.observe({ method: request.method, route }, reply.elapsedTime / 1000)
      request.log.debug({ req: request, status: reply.statusCode, ms: reply.elapsedTime }, 'request')
    })

    app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }))

    app.get('/readyz', { logLevel: 'warn' }, async (request) => {
      try {
        await within(probeOnce(), readyTimeoutMs)
      } catch (err) {
        request.log.warn({ err }, 'not ready')
        throw new NotReady()
      }
      return { status: 'ok' }
    })

    app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
      reply.type(metrics.registry.contentType)
      return metrics.registry.metrics()
    })
  },
  { name: 'ops' },
)

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}
