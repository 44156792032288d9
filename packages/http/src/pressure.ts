// Load shedding on the process's own pressure: while the event loop lags or the heap is full,
// requests are answered 503 overloaded at once (with Retry-After) instead of queueing behind
// work the process cannot keep up with. @fastify/under-pressure samples both on a timer; the
// per-request cost is reading the last sample.
import underPressure from '@fastify/under-pressure'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Overloaded, RETRY_AFTER_SECONDS } from './errors.ts'

export interface PressureLimits {
  /** MAX_EVENT_LOOP_DELAY_MS: mean event-loop delay over a sample. */
  maxEventLoopDelayMs: number
  /** MAX_HEAP_USED_MB: V8 heap in use. */
  maxHeapUsedMb: number
}

// Often enough that shedding starts within half a second of the pressure, rarely enough to cost nothing.
const SAMPLE_INTERVAL_MS = 500

/** Sheds the routes of the scope it is registered in (not /healthz, /readyz, /metrics). */
export const loadShedding = fp<PressureLimits>(
  async (app: FastifyInstance, { maxEventLoopDelayMs, maxHeapUsedMb }) => {
    await app.register(underPressure, {
      maxEventLoopDelay: maxEventLoopDelayMs,
      maxHeapUsedBytes: maxHeapUsedMb * 1024 * 1024,
      sampleInterval: SAMPLE_INTERVAL_MS,
      retryAfter: RETRY_AFTER_SECONDS,
      customError: Overloaded,
    })
  },
  { name: 'load-shedding' },
)
