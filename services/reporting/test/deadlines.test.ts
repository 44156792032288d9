// A report never waits without bound, and every refusal is in the one error shape: a query
// past REPORTING_STATEMENT_TIMEOUT_MS is a 503, a slow client is cut off, a malformed request
// is answered over the socket, and the service closes at once after its connections were cut.
import { checkErrorShape, checkSlowClient, listen } from '@affiliate/http/testing'
import type { Sql } from '@affiliate/shared/db'
import { freePort } from '@affiliate/shared/net'
import { lockTable } from '@affiliate/shared/testing'
import t, { type Test } from 'tap'
import { build as buildApp } from '../src/app.ts'
import { loadReportingConfig } from '../src/config.ts'
import { build, insertFixture } from './helper.ts'

const UNAVAILABLE = { status: 'error', code: 'unavailable', message: 'The database is unavailable; retry later' }
const SUMMARY = '/api/affiliates/1/summary?from=2026-11-01T00:00:00Z&to=2026-11-04T00:00:00Z'

/** Holds an exclusive lock on the click rollup (reports wait on it) until the returned release. */
const lockRollup = (t: Test, sql: Sql) => lockTable(t, sql, 'click_stats_hourly')

t.test('a report cut off by REPORTING_STATEMENT_TIMEOUT_MS is a 503 report_timeout with Retry-After', async (t) => {
  const { app, sql } = await build(t, { reportingStatementTimeoutMs: 1000 })
  await insertFixture(sql)
  const release = await lockRollup(t, sql)
  const res = await app.inject(SUMMARY)
  t.equal(res.statusCode, 503)
  t.equal(res.headers['retry-after'], '1')
  t.same(res.json(), {
    status: 'error',
    code: 'report_timeout',
    message: 'The report took too long to compute; retry later or narrow the range',
  })
  await release()
  const after = await app.inject(SUMMARY)
  t.equal(after.statusCode, 200, 'and the same report answers once the lock is gone')
})

t.test('closing right after its connections were terminated mid-query does not wait on them', async (t) => {
  const { app, sql } = await build(t)
  await insertFixture(sql)
  t.equal((await app.inject(SUMMARY)).statusCode, 200)
  const release = await lockRollup(t, sql)
  const blocked = app.inject(SUMMARY)
  for (;;) {
    const waiting = await sql`
      select 1 from pg_stat_activity where application_name = 'affiliate-reporting' and wait_event_type = 'Lock'`
    if (waiting.length > 0) break
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'affiliate-reporting'`
  await release()
  const cut = await blocked
  t.equal(cut.statusCode, 503, 'the report whose connection was cut is a 503, neither a success nor a 500')
  t.equal(cut.headers['retry-after'], '1')
  t.same(cut.json(), UNAVAILABLE)
  // Before, the pool's end() waited for ever on the connection that was cut mid-query.
  await app.close()
  t.pass('closed')
})

t.test('a database that refuses connections is a 503 unavailable with Retry-After, not a 500', async (t) => {
  // A port nothing listens on: PostgreSQL stopped, or not started yet.
  const { url } = await build(t)
  const down = new URL(url)
  down.port = String(await freePort())
  const app = await buildApp({ config: { ...loadReportingConfig({}), logLevel: 'silent' }, url: down.toString() })
  t.teardown(() => app.close())
  const res = await app.inject(SUMMARY)
  t.equal(res.statusCode, 503)
  t.equal(res.headers['retry-after'], '1')
  t.same(res.json(), UNAVAILABLE)
})

t.test('what Node refuses before a route, a missing Host and a 404 are answered in the shape', async (t) => {
  const { app } = await build(t)
  await checkErrorShape(t, app, [
    {
      name: 'a path parameter over 100 characters',
      request: `GET /api/affiliates/${'1'.repeat(101)}/summary HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      status: 414,
      code: 'uri_too_long',
    },
  ])
})

t.test('a client that never finishes its request is cut off with 408 request_timeout', async (t) => {
  const { app } = await build(t, { requestTimeoutMs: 300 })
  await checkSlowClient(t, await listen(app))
})
