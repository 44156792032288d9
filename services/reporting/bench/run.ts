// `pnpm bench:reporting`: a throwaway embedded PostgreSQL, a synthetic history loaded
// inside it, then p50/p95 latency of each report for a 30-day range over real HTTP,
// beside the same report written naively over the raw tables, at 1M and at 10M clicks.
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { createSql, type Sql } from '@affiliate/shared/db'
import { startEmbedded, stopOnSignals } from '@affiliate/embedded/server'
import { migrate } from '@affiliate/shared/migrate'
import { dailyPartitionsSince } from '@affiliate/shared/testing'
import { build } from '../src/app.ts'
import { loadReportingConfig } from '../src/config.ts'
import { type Db, openDb } from '../src/db.ts'
import { breakdownBySubId } from '../src/queries/breakdown.ts'
import { listConversions } from '../src/queries/conversions.ts'
import { summarizeAffiliate, summarizeCampaigns, timeSeries } from '../src/queries/stats.ts'
import type { Range } from '../src/range.ts'
import { AFFILIATES, buildRollups, DAYS, insertHistory, insertReferenceData } from './load.ts'
import { naive } from './naive.ts'

// `--sizes=100000,1000000` for a quick try; the default is 1M and 10M. `--clicks N` goes on
// to N after them: `--clicks 100000000` is the manual run at scale (about 70 minutes and ~47 GB
// here; progress is printed per million, and the throwaway server's folder is deleted at the end).
const arg = (name: string) => {
  const i = process.argv.findIndex((a) => a === name || a.startsWith(`${name}=`))
  return i < 0 ? undefined : process.argv[i]!.includes('=') ? process.argv[i]!.split('=')[1] : process.argv[i + 1]
}
const DEFAULT_SIZES = [1_000_000, 10_000_000]
const clicksArg = arg('--clicks')
const SIZES = arg('--sizes')?.split(',').map(Number) ??
  (clicksArg ? [...DEFAULT_SIZES.filter((n) => n < Number(clicksArg)), Number(clicksArg)] : DEFAULT_SIZES)
if (SIZES.some((n) => !Number.isSafeInteger(n) || n <= 0)) {
  console.error('bench:reporting: --clicks and --sizes take whole numbers of clicks')
  process.exit(2)
}
const REQUESTS = 200
const NAIVE_RUNS = 20
const TARGET_MS: Record<string, number> = {
  summary: 20,
  campaigns: 20,
  timeseries: 20,
  breakdown: 100,
  conversions: 20,
}

const log = (message: string) => console.log(`[bench:reporting] ${message}`)
const started = Date.now()
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)}s`

const server = await startEmbedded()
stopOnSignals(server)
const sql = createSql(server.url, { max: 4, name: 'bench-loader' })
const results: Record<string, unknown>[] = []
try {
  await migrate(sql)
  // Daily partitions over the whole history, as a database that has run for 90 days has
  // (the fresh one's history partition would hold it all in one).
  await dailyPartitionsSince(sql, DAYS + 1)
  await insertReferenceData(sql)
  const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000)
  const to = end.toISOString()
  const from = new Date(end.getTime() - 30 * 86_400_000).toISOString()
  let loaded = 0
  for (const size of SIZES) {
    log(`loading clicks ${loaded.toLocaleString()} → ${size.toLocaleString()} (${elapsed()})`)
    await insertHistory(sql, end, loaded, size, (done) => log(`  ${done.toLocaleString()} clicks (${elapsed()})`))
    loaded = size
    log(`building rollups and analyzing (${elapsed()})`)
    await buildRollups(sql)
    const counts = await tableCounts(sql)
    log(`loaded ${JSON.stringify(counts)} (${elapsed()})`)
    results.push({ size, counts, endpoints: await measure(sql, server.url, from, to) })
  }
} finally {
  await sql.end()
  await server.stop()
}

const out = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
  range_days: 30,
  requests_per_endpoint: REQUESTS,
  results,
}
const dir = fileURLToPath(new URL('../../../bench-results/', import.meta.url))
await mkdir(dir, { recursive: true })
const file = `${dir}reporting-${out.date.replace(/[:.]/g, '-')}.json`
await writeFile(file, JSON.stringify(out, null, 2))
log(`wrote ${file} (${elapsed()})`)

async function measure(sql: Sql, url: string, from: string, to: string) {
  const app = await build({ config: { ...loadReportingConfig({}), logLevel: 'silent', authMode: 'demo' }, url })
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const paths: Record<string, (id: number) => string> = {
    summary: (id) => `/api/affiliates/${id}/summary?from=${from}&to=${to}`,
    campaigns: (id) => `/api/affiliates/${id}/campaigns?from=${from}&to=${to}`,
    timeseries: (id) => `/api/affiliates/${id}/timeseries?from=${from}&to=${to}&interval=day`,
    breakdown: (id) => `/api/affiliates/${id}/breakdown?by=sub1&from=${from}&to=${to}`,
    conversions: (id) => `/api/affiliates/${id}/conversions?from=${from}&to=${to}&limit=50`,
  }
  // The same reports called as functions: the database part alone, comparable with the naive SQL.
  const opened = await openDb(url, { max: 4 })
  const range: Range = { from: new Date(from), to: new Date(to) }
  const queries: Record<string, (db: Db, id: number) => Promise<unknown>> = {
    summary: (db, id) => summarizeAffiliate(db, id, range, false),
    campaigns: (db, id) => summarizeCampaigns(db, id, range, false),
    timeseries: (db, id) => timeSeries(db, id, range, 'day', false),
    breakdown: (db, id) => breakdownBySubId(db, id, { range, by: 'sub1', limit: 50, includeBots: false }),
    conversions: (db, id) => listConversions(db, id, { range, limit: 50 }),
  }
  const rows: Record<string, unknown>[] = []
  try {
    for (const [name, path] of Object.entries(paths)) {
      const ours = await time(REQUESTS, async (i) => {
        const res = await fetch(address + path(1 + (i % AFFILIATES)))
        if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status} ${await res.text()}`)
        await res.arrayBuffer()
      })
      const query = await time(REQUESTS, (i) => queries[name]!(opened.db, 1 + ((i * 53) % AFFILIATES)))
      const slow = naive[name]
      const raw = slow
        ? await time(NAIVE_RUNS, (i) => slow(sql, 1 + ((i * 37) % AFFILIATES), new Date(from), new Date(to)))
        : undefined
      const row = {
        endpoint: name,
        p50_ms: ours.p50,
        p95_ms: ours.p95,
        target_p95_ms: TARGET_MS[name],
        meets_target: ours.p95 <= TARGET_MS[name]!,
        query_p50_ms: query.p50,
        query_p95_ms: query.p95,
        naive_p50_ms: raw?.p50 ?? null,
        naive_p95_ms: raw?.p95 ?? null,
        speedup_p50: raw ? round(raw.p50 / query.p50) : null,
      }
      rows.push(row)
      log(
        `  ${name.padEnd(11)} HTTP p50 ${fmt(ours.p50)} p95 ${fmt(ours.p95)} (target ≤ ${TARGET_MS[name]} ms: ${row.meets_target ? 'met' : 'MISSED'})` +
          ` | query p50 ${fmt(query.p50)}` +
          (raw
            ? ` | naive SQL over raw p50 ${fmt(raw.p50)} p95 ${fmt(raw.p95)} → ${row.speedup_p50}×`
            : ' | (no naive variant)'),
      )
    }
  } finally {
    await app.close()
    await opened.close()
  }
  return rows
}

async function time(n: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(10, n); i++) await fn(i) // warm-up: connections, plans, caches
  const samples: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    await fn(i)
    samples.push(performance.now() - t0)
  }
  samples.sort((a, b) => a - b)
  const at = (q: number) => round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!)
  return { p50: at(0.5), p95: at(0.95) }
}

async function tableCounts(sql: Sql) {
  const [row] = await sql`select
    (select count(*) from clicks)::int8 as clicks,
    (select count(*) from conversions)::int8 as conversions,
    (select count(*) from click_stats_hourly)::int8 as click_rollup_rows,
    (select count(*) from conversion_stats_hourly)::int8 as conversion_rollup_rows`
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]))
}

function round(x: number) {
  return Math.round(x * 100) / 100
}
function fmt(ms: number) {
  return `${ms.toFixed(2).padStart(7)} ms`
}
