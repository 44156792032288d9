import t from 'tap'
import { ConfigError, loadConfig } from '../src/config.ts'

t.test('defaults match the documented configuration', async (t) => {
  const config = loadConfig({})
  t.equal(config.databaseUrl, undefined)
  t.equal(config.ingestPort, 3000)
  t.equal(config.reportingPort, 3001)
  t.equal(config.webPort, 5173)
  t.equal(config.reportingUrl, 'http://127.0.0.1:3001')
  t.equal(config.publicIngestUrl, 'http://localhost:3000')
  t.equal(config.postbackTokenRequired, true)
  t.equal(config.attributionWindowDays, 30)
  t.equal(config.clickRateLimit, 1200)
  t.equal(config.trustProxy, false)
  t.equal(config.seedDemo, false)
  t.equal(config.logLevel, 'info')
  t.equal(config.authMode, 'demo')
  t.same(config.corsOrigins, [])
  t.ok(Object.isFrozen(config))
})

t.test('a bad value stops start-up with a message naming the variable', async (t) => {
  t.throws(() => loadConfig({ INGEST_PORT: 'abc' }), new ConfigError('INGEST_PORT must be a whole number from 0 to 65535, got "abc"'))
  t.throws(() => loadConfig({ POSTBACK_TOKEN_REQUIRED: 'maybe' }), /POSTBACK_TOKEN_REQUIRED must be true or false/)
  t.throws(() => loadConfig({ ATTRIBUTION_WINDOW_DAYS: '0' }), /ATTRIBUTION_WINDOW_DAYS/)
  t.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL must be one of/)
  t.throws(() => loadConfig({ AUTH_MODE: 'open' }), /AUTH_MODE must be one of demo, key/)
  t.throws(() => loadConfig({ PUBLIC_INGEST_URL: 'ftp://x' }), /PUBLIC_INGEST_URL must start with http: or https:/)
})

t.test('a bad DATABASE_URL is reported without echoing its password', async (t) => {
  const error = t.throws(() => loadConfig({ DATABASE_URL: 'not a url secret-password' })) as Error
  t.match(error.message, /DATABASE_URL is not a valid URL/)
  t.notMatch(error.message, /secret-password/)
})

t.test('PUBLIC_INGEST_URL loses its trailing slash', async (t) => {
  t.equal(loadConfig({ PUBLIC_INGEST_URL: 'https://track.example.com/' }).publicIngestUrl, 'https://track.example.com')
})

t.test('REPORTING_URL follows REPORTING_PORT unless set, and must be http(s)', async (t) => {
  t.equal(loadConfig({ REPORTING_PORT: '4001' }).reportingUrl, 'http://127.0.0.1:4001')
  t.equal(loadConfig({ REPORTING_URL: 'http://reporting:3001/' }).reportingUrl, 'http://reporting:3001')
  t.throws(() => loadConfig({ REPORTING_URL: 'reporting:3001' }), /REPORTING_URL must start with http: or https:/)
})

t.test('CORS_ORIGINS is a list of exact origins', async (t) => {
  t.same(loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:8080' }).corsOrigins, [
    'https://app.example.com',
    'http://localhost:8080',
  ])
  for (const bad of ['app.example.com', 'https://app.example.com/', 'https://app.example.com/path', 'ftp://x.example', '*']) {
    t.throws(() => loadConfig({ CORS_ORIGINS: bad }), /^CORS_ORIGINS must be comma-separated origins/, bad)
  }
})

t.test('RAW_RETENTION_DAYS: 90 by default, 0 keeps everything, never shorter than the attribution window', async (t) => {
  t.equal(loadConfig({}).rawRetentionDays, 90)
  t.equal(loadConfig({ RAW_RETENTION_DAYS: '0', ATTRIBUTION_WINDOW_DAYS: '3650' }).rawRetentionDays, 0)
  t.equal(loadConfig({ RAW_RETENTION_DAYS: '30', ATTRIBUTION_WINDOW_DAYS: '30' }).rawRetentionDays, 30)
  t.throws(
    () => loadConfig({ RAW_RETENTION_DAYS: '7' }),
    /ATTRIBUTION_WINDOW_DAYS \(30\) must not exceed RAW_RETENTION_DAYS \(7\)/,
  )
  t.throws(() => loadConfig({ RAW_RETENTION_DAYS: '-1' }), /RAW_RETENTION_DAYS must be a whole number/)
})
