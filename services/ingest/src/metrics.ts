// Prometheus metrics of the ingest service, on the registry that /metrics serves.
// Labels are bounded: writer, route pattern, error code, status — never an id or an IP.
import { createMetrics } from '@affiliate/http/ops'
import { Counter, Histogram } from 'prom-client'

export type IngestMetrics = ReturnType<typeof createIngestMetrics>

export function createIngestMetrics() {
  const metrics = createMetrics('ingest')
  const registers = [metrics.registry]
  return {
    ...metrics,
    clicksStored: new Counter({
      name: 'ingest_clicks_stored_total',
      help: 'Clicks committed, by whether the user agent is a bot or link preview',
      labelNames: ['bot'] as const,
      registers,
    }),
    conversionsStored: new Counter({
      name: 'ingest_conversions_stored_total',
      help: 'Conversions committed, by status',
      labelNames: ['status'] as const,
      registers,
    }),
    duplicates: new Counter({
      name: 'ingest_duplicates_total',
      help: 'Replays answered as the first time and not stored again',
      labelNames: ['kind'] as const,
      registers,
    }),
    rejections: new Counter({
      name: 'ingest_rejections_total',
      help: 'Requests answered with an error, by route pattern and error code',
      labelNames: ['route', 'code'] as const,
      registers,
    }),
    batchSize: new Histogram({
      name: 'ingest_batch_size',
      help: 'Rows per group-commit write',
      labelNames: ['writer'] as const,
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers,
    }),
    flushSeconds: new Histogram({
      name: 'ingest_flush_duration_seconds',
      help: 'Time from a batch write starting to its commit (and follow-up lookup)',
      labelNames: ['writer'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
  }
}
