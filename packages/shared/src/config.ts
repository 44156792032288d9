// The one place that reads process.env. Every value is validated once, at start,
// and a bad one stops the process with a message that names the variable.

export const AuthMode = { demo: 'demo', key: 'key' } as const
export type AuthMode = (typeof AuthMode)[keyof typeof AuthMode]

export const LogLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LogLevels)[number]

export interface Config {
  /** Unset: the runners and CLIs start the embedded PostgreSQL; a service refuses to start. */
  databaseUrl: string | undefined
  /** Optional SELECT-only connection for the reporting service; falls back to databaseUrl. */
  reportingDatabaseUrl: string | undefined
  host: string
  ingestPort: number
  reportingPort: number
  webPort: number
  /** Where the dashboard's server (and `pnpm dev`) proxies /api; defaults to the local reporting service. */
  reportingUrl: string
  publicIngestUrl: string
  postbackTokenRequired: boolean
  attributionWindowDays: number
  /** Days of raw clicks and conversions kept (whole UTC days are dropped after); 0 keeps everything. */
  rawRetentionDays: number
  /** Clicks per client IP per minute; 0 turns the limit off. */
  clickRateLimit: number
  trustProxy: boolean
  /** How long /readyz waits for the database before answering 503 not_ready. */
  readyTimeoutMs: number
  /** A click or postback not committed within this is answered 503 unavailable. */
  writeTimeoutMs: number
  /** Writes queued or in flight, per writer (clicks, postbacks), beyond which 503 overloaded. */
  maxPendingWrites: number
  /** Mean event-loop delay beyond which requests are shed (503 overloaded). */
  maxEventLoopDelayMs: number
  /** Requests being handled at once (clicks, postbacks, /api) beyond which one more is shed (503 overloaded). */
  maxInFlight: number
  /** V8 heap in use beyond which requests are shed (503 overloaded). */
  maxHeapUsedMb: number
  /** A request's headers and body must arrive within this, else 408 (slow clients). */
  requestTimeoutMs: number
  /** PostgreSQL's statement_timeout on the reporting sessions. */
  reportingStatementTimeoutMs: number
  /** How long the dashboard's server waits for the reporting API. */
  reportingProxyTimeoutMs: number
  seedDemo: boolean
  logLevel: LogLevel
  authMode: AuthMode
  /** Origins a browser may call the reporting API from (CORS); empty: same-origin only. */
  corsOrigins: readonly string[]
  /** Where the embedded PostgreSQL keeps its data (git-ignored). */
  embeddedPgDir: string
  embeddedPgPort: number
}

/** The embedded PostgreSQL's data folder unless EMBEDDED_PG_DIR names another (git-ignored). */
export const DEFAULT_EMBEDDED_PG_DIR = '.data/postgres'

export class ConfigError extends Error {
  override name = 'ConfigError'
}

type Env = Record<string, string | undefined>

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === '' ? undefined : value
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name)
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`)
  }
  return Number(raw)
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = read(env, name)?.toLowerCase()
  if (raw === undefined) return fallback
  if (['true', '1', 'yes', 'on'].includes(raw)) return true
  if (['false', '0', 'no', 'off'].includes(raw)) return false
  throw new ConfigError(`${name} must be true or false, got "${raw}"`)
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = read(env, name)
  if (raw === undefined) return fallback
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`)
  }
  return raw as T
}

function url(env: Env, name: string, protocols: string[], fallback?: string): string | undefined {
  const raw = read(env, name) ?? fallback
  if (raw === undefined) return undefined
  let parsed: URL
  try {
    parsed = new URL(raw)
  } catch {
    // Never echo the value: a database URL carries a password.
    throw new ConfigError(`${name} is not a valid URL`)
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.join(' or ')}`)
  }
  return raw
}

/** A comma-separated list of origins (`https://app.example.com`, no path): each exactly as a browser sends it. */
function origins(env: Env, name: string): readonly string[] {
  const list = (read(env, name) ?? '').split(',').map((origin) => origin.trim()).filter(Boolean)
  for (const origin of list) {
    let parsed: URL | undefined
    try {
      parsed = new URL(origin)
    } catch {
      parsed = undefined
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError(`${name} must be comma-separated origins like https://app.example.com (no path), got "${origin}"`)
    }
  }
  return Object.freeze(list)
}

export function loadConfig(env: Env = process.env): Readonly<Config> {
  const pg = ['postgres:', 'postgresql:']
  const reportingPort = int(env, 'REPORTING_PORT', 3001, 0, 65535)
  const attributionWindowDays = int(env, 'ATTRIBUTION_WINDOW_DAYS', 30, 1, 3650)
  const rawRetentionDays = int(env, 'RAW_RETENTION_DAYS', 90, 0, 36500)
  // A conversion needs its click: a click dropped inside its window could no longer convert.
  if (rawRetentionDays !== 0 && attributionWindowDays > rawRetentionDays) {
    throw new ConfigError(
      `ATTRIBUTION_WINDOW_DAYS (${attributionWindowDays}) must not exceed RAW_RETENTION_DAYS (${rawRetentionDays}): clicks would be dropped while they can still convert; raise RAW_RETENTION_DAYS (0 keeps raw rows forever) or shorten the window`,
    )
  }
  return Object.freeze({
    databaseUrl: url(env, 'DATABASE_URL', pg),
    reportingDatabaseUrl: url(env, 'REPORTING_DATABASE_URL', pg),
    host: read(env, 'HOST') ?? '127.0.0.1',
    ingestPort: int(env, 'INGEST_PORT', 3000, 0, 65535),
    reportingPort,
    webPort: int(env, 'WEB_PORT', 5173, 0, 65535),
    reportingUrl: url(env, 'REPORTING_URL', ['http:', 'https:'], `http://127.0.0.1:${reportingPort}`)!.replace(/\/+$/, ''),
    publicIngestUrl: url(env, 'PUBLIC_INGEST_URL', ['http:', 'https:'], 'http://localhost:3000')!.replace(/\/+$/, ''),
    postbackTokenRequired: bool(env, 'POSTBACK_TOKEN_REQUIRED', true),
    attributionWindowDays,
    rawRetentionDays,
    clickRateLimit: int(env, 'CLICK_RATE_LIMIT', 1200, 0, 10_000_000),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    readyTimeoutMs: int(env, 'READY_TIMEOUT_MS', 1000, 1, 600_000),
    writeTimeoutMs: int(env, 'WRITE_TIMEOUT_MS', 2000, 1, 600_000),
    maxPendingWrites: int(env, 'MAX_PENDING_WRITES', 2000, 1, 1_000_000),
    maxEventLoopDelayMs: int(env, 'MAX_EVENT_LOOP_DELAY_MS', 500, 1, 60_000),
    maxInFlight: int(env, 'MAX_IN_FLIGHT', 1000, 1, 1_000_000),
    maxHeapUsedMb: int(env, 'MAX_HEAP_USED_MB', 200, 1, 1_000_000),
    requestTimeoutMs: int(env, 'REQUEST_TIMEOUT_MS', 10_000, 1, 3_600_000),
    reportingStatementTimeoutMs: int(env, 'REPORTING_STATEMENT_TIMEOUT_MS', 5000, 1, 3_600_000),
    reportingProxyTimeoutMs: int(env, 'REPORTING_PROXY_TIMEOUT_MS', 10_000, 1, 3_600_000),
    seedDemo: bool(env, 'SEED_DEMO', false),
    logLevel: oneOf(env, 'LOG_LEVEL', LogLevels, 'info'),
    authMode: oneOf(env, 'AUTH_MODE', Object.values(AuthMode), 'demo'),
    corsOrigins: origins(env, 'CORS_ORIGINS'),
    embeddedPgDir: read(env, 'EMBEDDED_PG_DIR') ?? DEFAULT_EMBEDDED_PG_DIR,
    embeddedPgPort: int(env, 'EMBEDDED_PG_PORT', 5433, 1, 65535),
  })
}

/** A service's database: DATABASE_URL, which `pnpm start` hands down (it prints the embedded server's). */
export function requireDatabaseUrl(config: Pick<Config, 'databaseUrl'>): string {
  if (config.databaseUrl) return config.databaseUrl
  throw new ConfigError(
    'DATABASE_URL is not set: `pnpm start` runs the whole system (and prints its embedded database URL); a lone service needs DATABASE_URL',
  )
}

/** For entry points: a ConfigError ends the process with its one line and exit code 1. */
export function configOrExit<T>(load: () => T): T {
  try {
    return load()
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(error.message)
    process.exit(1)
  }
}

/** Set by `pnpm test` (scripts/test.ts): a superuser URL of the test server. */
export function loadTestDatabaseUrl(env: Env = process.env): string {
  const value = read(env, 'TEST_DATABASE_URL')
  if (value === undefined) {
    throw new ConfigError('TEST_DATABASE_URL is not set: run tests through `pnpm test [files…]`')
  }
  return value
}

/**
 * Set by `pnpm test:citus` (scripts/test-citus.ts): tests use TEST_DATABASE_URL's database itself,
 * emptied before each test, instead of a clone of a template (Citus has no template databases).
 */
export function loadTestDatabaseShared(env: Env = process.env): boolean {
  return bool(env, 'TEST_DATABASE_SHARED', false)
}

/** For `pnpm test:citus`: a superuser URL of a Citus coordinator's database that has the citus extension. */
export function loadCitusDatabaseUrl(env: Env = process.env): string {
  const value = url(env, 'CITUS_DATABASE_URL', ['postgres:', 'postgresql:'])
  if (value === undefined) {
    throw new ConfigError(
      'CITUS_DATABASE_URL is not set: `CITUS_DATABASE_URL=postgres://…@coordinator/db pnpm test:citus`, a database with the citus extension and its workers registered (docs/scaling.md)',
    )
  }
  return value
}

/** For `pnpm audit:check` (scripts/audit.ts): pass when the registry's audit endpoint cannot be reached. */
export function loadAuditOfflineOk(env: Env = process.env): boolean {
  return bool(env, 'AUDIT_OFFLINE_OK', false)
}
