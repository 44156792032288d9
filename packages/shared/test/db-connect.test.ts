// postgres.js runs a query of its own on every new connection (the array types, fetch_types)
// and did not wait for it: a connection cut or cancelled during that query was an unhandled
// rejection, which ends a Node process. patches/postgres@3.4.9.patch waits for it
// (porsager/postgres#1192, #1223); this test fails without the patch.
import t from 'tap'
import { createSql, isUnavailable } from '../src/db.ts'
import { createTestDatabase } from '../src/testing.ts'

t.test("a connection whose start-up types query fails leaves the process running, and its queries answer", async (t) => {
  const url = await createTestDatabase(t)
  // A 1 ms statement_timeout from the start-up packet on cancels that first query every time.
  const sql = createSql(url, { max: 1, statementTimeoutMs: 1 })
  t.teardown(() => sql.end({ timeout: 1 }))
  for (let i = 0; i < 3; i++) {
    // The caller's own query succeeds or fails in the open, never as an unhandled rejection.
    const outcome = await sql`select ${i}::int as i`.then(
      ([row]) => row!.i,
      (error: { code?: string }) => error.code,
    )
    t.ok(outcome === i || outcome === '57014' || isUnavailable({ code: outcome }), `query ${i}: ${outcome}`)
  }
  // Cut the connection too, while it is being made: the other way that query fails.
  const admin = createSql(url, { max: 1 })
  t.teardown(() => admin.end())
  const starting = createSql(url, { max: 1, name: 'affiliate-cut-at-start' })
  t.teardown(() => starting.end({ timeout: 1 }))
  const first = starting`select 1`.catch(() => undefined)
  await admin`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'affiliate-cut-at-start'`
  await first
  await new Promise((resolve) => setTimeout(resolve, 200)) // an unhandled rejection surfaces by now
  t.pass('no unhandled rejection')
})
