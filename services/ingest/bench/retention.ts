// `pnpm bench:retention [--clicks N]`: retention dropping a day that holds N clicks
// (default 10M) while the ingest service takes `pnpm bench`'s click load. Prints how long
// deleting the day's keys and dropping its partitions took, and the load in 5-second
// windows before, during and after: answers other than 302, errors, p99 and the slowest
// answer, next to WRITE_TIMEOUT_MS. Its own throwaway embedded PostgreSQL, 127.0.0.1 only.
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startEmbedded, stopOnSignals } from '@affiliate/embedded/server'
import { createSql, databaseUrl } from '@affiliate/shared/db'
import { migrate } from '@affiliate/shared/migrate'
import { freePort } from '@affiliate/shared/net'
import { type DroppedDay, dropExpiredDays } from '@affiliate/shared/partitions'
import { seedDemo } from '@affiliate/shared/seed'
import { dailyPartitionsSince } from '@affiliate/shared/testing'
import type { LoadJob, LoadOutput } from './load.ts'
import { load, waitForPort } from './processes.ts'

const { values: args } = parseArgs({
  options: { clicks: { type: 'string', default: '10000000' }, connections: { type: 'string', default: '50' } },
})
const CLICKS = Number(args.clicks)
const CONNECTIONS = Number(args.connections)
const WINDOW_SECONDS = 5
const WRITE_TIMEOUT_MS = 2000
const CHUNK = 1_000_000
const DAY = 86_400_000
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))
const log = (line: string) => console.log(line)
const children: ChildProcess[] = []

log(`retention bench: drop a day of ${CLICKS.toLocaleString('en')} clicks under a click load of ${CONNECTIONS} connections`)
const pg = await startEmbedded()
stopOnSignals(pg)
try {
  const admin = createSql(pg.url, { max: 1 })
  await admin.unsafe('create database bench')
  await admin.end()
  const url = databaseUrl(pg.url, 'bench')
  const sql = createSql(url, { max: 2, name: 'bench-retention' })
  await migrate(sql)
  await seedDemo(sql)
  // Days from 3 days ago on; the day before yesterday is filled and, with RAW_RETENTION_DAYS=1, expired.
  await dailyPartitionsSince(sql, 3)
  const dayStart = new Date(Math.floor(Date.now() / DAY) * DAY - 2 * DAY)
  for (let start = 0; start < CLICKS; start += CHUNK) {
    const stop = Math.min(start + CHUNK, CLICKS)
    await sql`
      with keys as (
        insert into click_keys (click_id, "timestamp", affiliate_id, campaign_id, sub1)
        select 'old-' || g, ${dayStart}::timestamptz + (g::float8 / ${CLICKS}) * interval '1 day', 1 + g % 3, 1 + g % 3, 'src-' || g % 40
        from generate_series(${start}::int8, ${stop - 1}::int8) g
        returning click_id, "timestamp", affiliate_id, campaign_id, sub1
      )
      insert into clicks (click_id, "timestamp", affiliate_id, campaign_id, sub1, user_agent)
      select click_id, "timestamp", affiliate_id, campaign_id, sub1, 'Mozilla/5.0 bench' from keys`
    log(`  loaded ${stop.toLocaleString('en')} clicks into the day of ${dayStart.toISOString().slice(0, 10)}`)
  }
  await sql`vacuum analyze click_keys, clicks`

  const port = await freePort()
  const server = spawn(process.execPath, ['--import', 'tsx', here('../src/server.ts')], {
    // RAW_RETENTION_DAYS=0: the service's own upkeep keeps everything; the bench drops the day itself.
    env: {
      ...process.env,
      DATABASE_URL: url,
      INGEST_PORT: String(port),
      LOG_LEVEL: 'warn',
      CLICK_RATE_LIMIT: '10000000',
      RAW_RETENTION_DAYS: '0',
      WRITE_TIMEOUT_MS: String(WRITE_TIMEOUT_MS),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  children.push(server)
  const base = `http://127.0.0.1:${port}`
  await waitForPort(`${base}/healthz`)

  const windows: { phase: string; output: LoadOutput }[] = []
  const window = async (phase: string) => {
    const job: LoadJob = {
      url: base,
      path: '/click?affiliate_id=1&campaign_id=1&sub1=bench',
      first: 0,
      connections: CONNECTIONS,
      seconds: WINDOW_SECONDS,
      label: phase,
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36' },
    }
    windows.push({ phase, output: await load(job, children) })
  }
  await window('before')
  let dropped: DroppedDay[] | undefined
  const retention = dropExpiredDays(sql, { retentionDays: 1 }).then((days) => (dropped = days))
  while (dropped === undefined) await window('during')
  await retention
  await window('after')
  server.kill('SIGTERM')
  await sql.end()

  log('\nretention (RAW_RETENTION_DAYS=1)')
  for (const day of dropped) {
    log(
      `  ${day.partitions.join(' ')}: ${day.keysDeleted.toLocaleString('en')} keys deleted in ${(day.keysMs / 1000).toFixed(1)}s, ` +
        `partitions detached in ${day.detachMs.toFixed(0)} ms (what writes wait behind; target < 1000 ms: ${day.detachMs < 1000 ? 'met' : 'MISSED'}), ` +
        `their files dropped in ${day.dropMs.toFixed(0)} ms after`,
    )
  }
  log(`\nclick load in ${WINDOW_SECONDS}s windows (latency in ms; the write deadline is ${WRITE_TIMEOUT_MS} ms)`)
  let failed = 0
  let slowest = 0
  for (const { phase, output } of windows) {
    const r = output.result
    const codes = r.statusCodeStats as Record<string, { count: number }>
    const other = Object.entries(codes).reduce((n, [code, s]) => n + (code === '302' ? 0 : s.count), 0)
    failed += other + r.errors + r.timeouts
    slowest = Math.max(slowest, r.latency.max)
    log(
      `  ${phase.padEnd(7)} ${Math.round(r.requests.average).toLocaleString('en').padStart(6)}/s  p99 ${r.latency.p99}  max ${r.latency.max}  not 302: ${other}  errors ${r.errors + r.timeouts}`,
    )
  }
  log(
    `\n  ${failed === 0 ? 'no failed request' : `${failed} FAILED requests`}; slowest answer ${slowest} ms ` +
      `(${slowest < WRITE_TIMEOUT_MS ? 'within' : 'PAST'} the write deadline)`,
  )
} finally {
  for (const child of children) child.kill('SIGKILL')
  await pg.stop()
}
