// The reporting service's view of the configuration. Only @affiliate/shared/config reads
// process.env; this picks what the service uses, so tests can build one by hand.
import { type Config, loadConfig } from '@affiliate/shared/config'

export type ReportingConfig = Pick<
  Config,
  | 'databaseUrl'
  | 'reportingDatabaseUrl'
  | 'host'
  | 'reportingPort'
  | 'publicIngestUrl'
  | 'logLevel'
  | 'authMode'
  | 'seedDemo'
  | 'corsOrigins'
  | 'readyTimeoutMs'
  | 'requestTimeoutMs'
  | 'reportingStatementTimeoutMs'
  | 'maxEventLoopDelayMs'
  | 'maxInFlight'
  | 'maxHeapUsedMb'
>

export function loadReportingConfig(env?: Record<string, string | undefined>): Readonly<ReportingConfig> {
  return loadConfig(env)
}
