// A ready ingest app on a fresh, migrated, demo-seeded database of its own, closed on teardown.
import { Writable } from 'node:stream'
import { seedDemo } from '@affiliate/shared/seed'
import { createTestDatabase } from '@affiliate/shared/testing'
import { type App, build as buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { openSql, type Sql } from '../src/db.ts'

interface Teardown {
  teardown(fn: () => unknown): void
}

export interface TestApp {
  app: App
  sql: Sql
  /** URL of the test database. */
  url: string
  /** Every log line written so far (only when `captureLogs` was set). */
  logs: string[]
}

export async function build(
  t: Teardown,
  env: Record<string, string> = {},
  { captureLogs = false, database }: { captureLogs?: boolean; database?: string } = {},
): Promise<TestApp> {
  const url = database ?? (await createTestDatabase(t))
  const sql = openSql(url)
  await seedDemo(sql)
  // Tests send many clicks from one address: no rate limit unless a test asks for one. Test
  // processes share two cores, so no deadline or shedding either unless a test is about it:
  // a starved process would otherwise time out or shed its own requests, and tests are not timed.
  const config = loadConfig({
    LOG_LEVEL: captureLogs ? 'debug' : 'silent',
    CLICK_RATE_LIMIT: '0',
    WRITE_TIMEOUT_MS: '600000',
    READY_TIMEOUT_MS: '600000',
    MAX_EVENT_LOOP_DELAY_MS: '60000',
    MAX_IN_FLIGHT: '1000000',
    ...env,
  })
  const logs: string[] = []
  const logStream = captureLogs
    ? new Writable({
        write(chunk, _encoding, done) {
          logs.push(String(chunk))
          done()
        },
      })
    : undefined
  const app = await buildApp({ config, sql, logStream, onClose: () => endPool(sql) })
  t.teardown(() => app.close())
  await app.ready()
  return { app, sql, url, logs }
}

/** Runs `count` requests at once. */
export function concurrently<T>(count: number, request: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => request(i)))
}

/**
 * postgres.js 3.4.9's end() never resolves once a connection has errored (porsager/postgres#1097);
 * the timeout makes it close such connections instead. Idle pools still end at once.
 */
export const endPool = (sql: Sql) => sql.end({ timeout: 1 })

export const DEMO_TOKEN = 'demo-token-1'

export const BROWSER_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'

/** inject() options for a GET from a browser (inject's own user agent counts as a bot). */
export function fromBrowser(url: string, headers: Record<string, string> = {}) {
  return { method: 'GET' as const, url, headers: { 'user-agent': BROWSER_UA, ...headers } }
}
