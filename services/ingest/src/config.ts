// The ingest service's part of the shared configuration (packages/shared/src/config.ts
// is the only reader of process.env and documents every variable).
import { loadConfig as loadSharedConfig, type Config } from '@affiliate/shared/config'

export type IngestConfig = Pick<
  Config,
  | 'databaseUrl'
  | 'host'
  | 'ingestPort'
  | 'postbackTokenRequired'
  | 'attributionWindowDays'
  | 'rawRetentionDays'
  | 'clickRateLimit'
  | 'trustProxy'
  | 'readyTimeoutMs'
  | 'writeTimeoutMs'
  | 'maxPendingWrites'
  | 'maxEventLoopDelayMs'
  | 'maxInFlight'
  | 'maxHeapUsedMb'
  | 'requestTimeoutMs'
  | 'seedDemo'
  | 'logLevel'
>

export function loadConfig(env?: Record<string, string | undefined>): Readonly<IngestConfig> {
  return loadSharedConfig(env)
}
