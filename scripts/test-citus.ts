// `pnpm test:citus [files…]`: the product on a real Citus cluster. Takes a coordinator's database
// from CITUS_DATABASE_URL (one with the citus extension and its workers registered), migrates it
// (the migrations distribute the tables), checks in pg_dist_partition how every table is
// distributed, then runs the ingest and reporting test files that send every query the services
// send, one file at a time in that one database (Citus has no template databases), emptied
// between tests (emptyDatabase also gives back the partitions a test dropped). A few shards keep each test's TRUNCATE and DDL quick.
import { spawn } from 'node:child_process'
import { configOrExit, loadCitusDatabaseUrl } from '@affiliate/shared/config'
import { createSql, type Sql } from '@affiliate/shared/db'
import { migrate } from '@affiliate/shared/migrate'
import { ensurePartitions } from '@affiliate/shared/partitions'
import { emptyDatabase } from '@affiliate/shared/testing'

const SHARD_COUNT = 4

/** What the migrations must make of each table: a reference table, or distributed by a column. */
const DISTRIBUTION: Record<string, string> = {
  affiliates: 'reference',
  campaigns: 'reference',
  api_keys: 'reference',
  raw_retention: 'reference',
  click_keys: 'click_id',
  clicks: 'click_id',
  conversions: 'click_id',
  click_stats_hourly: 'affiliate_id',
  conversion_stats_hourly: 'affiliate_id',
}

const SUITE = [
  'services/ingest/test/clicks.test.ts',
  'services/ingest/test/postbacks.test.ts',
  'services/ingest/test/partitions.test.ts', // partitions ahead, retention, a missing day (on distributed tables)
  'services/reporting/test/reports.test.ts',
  'services/reporting/test/conversions.test.ts',
  'services/reporting/test/offers.test.ts',
  'services/reporting/test/auth.test.ts',
  'services/reporting/test/apikey.test.ts',
  'services/reporting/test/reconcile.test.ts',
  'services/reporting/test/roles.test.ts',
]

const url = configOrExit(loadCitusDatabaseUrl)
const files = process.argv.length > 2 ? process.argv.slice(2) : SUITE

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env })
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

/** Every table of the schema against DISTRIBUTION: one line per difference. */
async function distributionProblems(sql: Sql): Promise<string[]> {
  const rows = await sql<{ table: string; distribution: string; colocation: number | null }[]>`
    select c.relname as table,
           case when p.partmethod = 'n' and p.repmodel = 't' then 'reference'
                when p.partmethod = 'h' then column_to_column_name(p.logicalrelid, p.partkey)
                when p.partmethod is null then 'local'
                else 'citus-local' end as distribution,
           p.colocationid as colocation
    from pg_class c left join pg_dist_partition p on p.logicalrelid = c.oid
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
      and c.relname <> 'schema_migrations'
    order by 1`
  const problems: string[] = []
  const colocations = new Map<string, Set<number | null>>()
  for (const row of rows) {
    const expected = DISTRIBUTION[row.table]
    console.log(`  ${row.table.padEnd(26)} ${row.distribution.padEnd(14)} colocation ${row.colocation ?? '–'}`)
    if (expected === undefined) problems.push(`${row.table}: a table scripts/test-citus.ts does not know; decide how it is distributed`)
    else if (row.distribution !== expected) problems.push(`${row.table}: ${row.distribution}, expected ${expected}`)
    colocations.set(row.distribution, (colocations.get(row.distribution) ?? new Set()).add(row.colocation))
  }
  for (const table of Object.keys(DISTRIBUTION)) {
    if (!rows.some((row) => row.table === table)) problems.push(`${table}: missing`)
  }
  for (const [distribution, ids] of colocations) {
    if (distribution !== 'reference' && ids.size > 1) problems.push(`tables distributed by ${distribution} are not colocated`)
  }
  return problems
}

const setup = createSql(url, { max: 1, name: 'affiliate-test-citus' })
const [citus] = await setup<{ version: string }[]>`select extversion as version from pg_extension where extname = 'citus'`
if (!citus) {
  console.error('CITUS_DATABASE_URL names a database without the citus extension (docs/scaling.md: create it on every node)')
  process.exit(1)
}
const [{ name } = { name: '' }] = await setup<{ name: string }[]>`select current_database() as name`
// A database default, so that the migrations' own sessions (and every test's) create this many shards.
await setup.unsafe(`alter database "${name.replace(/"/g, '""')}" set citus.shard_count = ${SHARD_COUNT}`)
await setup.end()

const sql = createSql(url, { max: 1, name: 'affiliate-test-citus' })
let code = 0
try {
  console.log(`Citus ${citus.version}, database ${name}: migrations applied:`, (await migrate(sql)).applied)
  // As ingest does at start: tests that write directly (now, or a day ahead) find their partitions.
  await ensurePartitions(sql)
  console.log('distribution:')
  const problems = await distributionProblems(sql)
  for (const problem of problems) console.error(`  not as expected: ${problem}`)
  if (problems.length > 0) code = 1
  const failed: string[] = []
  for (const file of files) {
    await emptyDatabase(sql)
    const env = { ...process.env, TEST_DATABASE_URL: url, TEST_DATABASE_SHARED: 'true' }
    if ((await run('pnpm', ['exec', 'tap', '--jobs=1', '--disable-coverage', file], env)) !== 0) failed.push(file)
  }
  await emptyDatabase(sql)
  console.log(`\ntest:citus: ${files.length - failed.length} of ${files.length} files passed on Citus ${citus.version}`)
  for (const file of failed) console.error(`  failed: ${file}`)
  if (failed.length > 0) code = 1
} finally {
  await sql.end()
}
process.exit(code)
