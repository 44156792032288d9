// build(t) gives a ready app on a fresh migrated database (closed and dropped on
// teardown) and a superuser handle to arrange rows with.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createSql, type Sql } from '@affiliate/shared/db'
import { createTestDatabase } from '@affiliate/shared/testing'
import type { FastifyInstance } from 'fastify'
import { build as buildApp } from '../src/app.ts'
import { loadReportingConfig, type ReportingConfig } from '../src/config.ts'

interface Test {
  teardown(fn: () => unknown): void
}

export async function build(t: Test, overrides: Partial<ReportingConfig> = {}) {
  const url = await createTestDatabase(t)
  // Test processes share two cores, so no deadline or shedding unless a test is about it: a
  // starved process would otherwise time out or shed its own requests, and tests are not timed.
  const config: ReportingConfig = {
    ...loadReportingConfig({}),
    logLevel: 'silent',
    readyTimeoutMs: 600_000,
    reportingStatementTimeoutMs: 600_000,
    maxEventLoopDelayMs: 60_000,
    maxInFlight: 1_000_000,
    // The heap is the test process's, shared with whatever else the test holds (the hostile suite's generators).
    maxHeapUsedMb: 1 << 20,
    ...overrides,
  }
  const app: FastifyInstance = await buildApp({ config, url })
  const sql = createSql(url, { max: 2, name: 'reporting-test' })
  t.teardown(async () => {
    await app.close()
    await sql.end()
  })
  return { app, sql, url, config }
}

/** Builds the rollups from the raw rows by the rule ingest keeps (migrations/040), for a fixture. */
export async function rollUp(sql: Sql) {
  await sql`
    insert into click_stats_hourly (affiliate_id, hour, campaign_id, clicks, bot_clicks)
    select affiliate_id, hour, campaign_id, clicks, bot_clicks from click_stats_hourly_of()`
  await sql`
    insert into conversion_stats_hourly (affiliate_id, hour, campaign_id, status, currency, conversions, amount)
    select affiliate_id, hour, campaign_id, status, currency, conversions, amount from conversion_stats_hourly_of()`
}

/**
 * The small history every report test reads (all times UTC, 2026-11-01…03):
 * affiliate 1 has clicks on both sides of hour edges, bots, a click without sub1,
 * conversions in USD and EUR that are approved, pending and rejected; affiliate 2 has
 * one click and conversion; affiliate 3 has nothing.
 */
export async function insertFixture(sql: Sql) {
  await sql`insert into affiliates (id, name) values (1, 'Acme Media'), (2, 'Blue Pixel'), (3, 'Idle Ltd')`
  await sql`insert into campaigns (id, name, landing_url, postback_token) values
    (1, 'Summer Sale', 'https://shop.example.com/', 'token-summer-1'),
    (2, 'VPN Trial', 'https://vpn.example.net/', 'token-vpn-22')`
  const clicks = [
    ['c1', 1, 1, '2026-11-01T10:05:00Z', 'fb', false],
    ['c2', 1, 1, '2026-11-01T10:40:00Z', 'fb', false],
    ['c3', 1, 1, '2026-11-01T10:59:59.999Z', 'google', false],
    ['c4', 1, 1, '2026-11-01T11:00:00Z', 'google', true],
    ['c5', 1, 2, '2026-11-01T12:30:00Z', null, false],
    ['c6', 1, 2, '2026-11-02T09:00:00Z', 'fb', false],
    ['c7', 1, 1, '2026-11-03T00:00:00Z', 'tiktok', true],
    ['d1', 2, 1, '2026-11-01T10:10:00Z', 'other', false],
  ] as const
  for (const [clickId, affiliateId, campaignId, timestamp, sub1, isBot] of clicks) {
    await sql`insert into clicks (click_id, affiliate_id, campaign_id, "timestamp", sub1, is_bot)
      values (${clickId}, ${affiliateId}, ${campaignId}, ${timestamp}, ${sub1}, ${isBot})`
  }
  const conversions = [
    ['c1', '', '100.00', 'USD', 'approved', '2026-11-01T10:30:00Z'],
    ['c2', '', '20.5', 'EUR', 'approved', '2026-11-01T11:15:00Z'],
    ['c3', '', '7.25', 'USD', 'pending', '2026-11-01T11:20:00Z'],
    ['c5', '', '50', 'USD', 'rejected', '2026-11-01T12:45:00Z'],
    ['c1', 'b', '0.0001', 'USD', 'approved', '2026-11-02T09:30:00Z'],
    ['d1', '', '999', 'USD', 'approved', '2026-11-01T10:20:00Z'],
  ] as const
  for (const [clickId, txnId, amount, currency, status, timestamp] of conversions) {
    await insertConversion(sql, { clickId, txnId, amount, currency, status, timestamp })
  }
  await rollUp(sql)
}

export async function insertConversion(
  sql: Sql,
  c: { clickId: string; txnId: string; amount: string; currency: string; status: string; timestamp: string },
) {
  // The timestamp goes as text: through a JS Date it would lose its microseconds.
  // With what ingest copies of the click (migration 050).
  await sql`insert into conversions (click_id, txn_id, amount, currency, status, "timestamp", affiliate_id, campaign_id,
                                     click_timestamp, sub1, sub2, sub3, sub4, sub5)
    select click_id, ${c.txnId}, ${c.amount}, ${c.currency}, ${c.status}, ${c.timestamp}::text::timestamptz, affiliate_id, campaign_id,
           "timestamp", sub1, sub2, sub3, sub4, sub5
    from clicks where click_id = ${c.clickId}`
}

/** Runs one of the reporting CLIs (`src/cli/<name>.ts`) as `pnpm <name>` would, against `url`. */
export function runCli(
  name: string,
  args: string[],
  url: string,
): Promise<{ code: number | null; out: string; stdout: string; stderr: string }> {
  const root = fileURLToPath(new URL('../../../', import.meta.url))
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `services/reporting/src/cli/${name}.ts`, ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url },
    })
    let [out, stdout, stderr] = ['', '', '']
    child.stdout.on('data', (d) => {
      out += d
      stdout += d
    })
    child.stderr.on('data', (d) => {
      out += d
      stderr += d
    })
    child.on('exit', (code) => resolve({ code, out, stdout, stderr }))
  })
}
