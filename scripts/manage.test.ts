// `pnpm manage` as an operator runs it: a process against a database of its own, read by
// its exit code, stdout and stderr.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createSql } from '@affiliate/shared/db'
import { createTestDatabase, dailyPartitionsSince, insertClicks } from '@affiliate/shared/testing'
import { seedDemo } from '@affiliate/shared/seed'
import t, { type Test } from 'tap'

const root = fileURLToPath(new URL('../', import.meta.url))
/** Nothing listens here: a command that touches the database fails. */
const UNREACHABLE = 'postgres://affiliate:secret@127.0.0.1:1/none'

function manage(args: string[], databaseUrl = UNREACHABLE, env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/manage.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
    })
    let [stdout, stderr] = ['', '']
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

async function database(t: Test) {
  const url = await createTestDatabase(t)
  const sql = createSql(url, { max: 1 })
  t.teardown(() => sql.end())
  return { url, sql }
}

t.test('--help prints the usage with commands, flags and an example, exits 0 and needs no database', async (t) => {
  const [all, campaign, affiliate] = await Promise.all([
    manage(['--help']),
    manage(['campaign', '--help']),
    manage(['affiliate', '-h']),
  ])
  for (const run of [all, campaign, affiliate]) {
    t.equal(run.code, 0)
    t.equal(run.stderr, '')
    t.match(run.stdout, /^Usage: pnpm manage /)
    t.match(run.stdout, /\nFlags:\n/)
    t.match(run.stdout, /\nExample:\n {2}pnpm manage /)
  }
  t.match(all.stdout, /affiliate create --name NAME/)
  t.match(all.stdout, /campaign create --name NAME --landing-url URL \[--token TOKEN\]/)
  t.match(campaign.stdout, /campaign rotate-token --id N/)
  t.match(campaign.stdout, /\{click_id\} \{affiliate_id\} \{campaign_id\} \{sub1\} \{sub2\} \{sub3\} \{sub4\} \{sub5\}/)
  t.notMatch(campaign.stdout, /affiliate create/, 'campaign --help is about campaigns')
  t.match(affiliate.stdout, /affiliate list \[--json\]/)
  t.notMatch(affiliate.stdout, /--landing-url/, 'affiliate --help is about affiliates')
})

t.test('without a command, or with a wrong one, it is a usage error: exit 2, the usage on stderr', async (t) => {
  const cases = [
    [[], 'a command is required', /affiliate create[\s\S]*campaign create/],
    [['campaign'], 'campaign needs a command', /campaign set-landing-url/],
    [['affiliate'], 'affiliate needs a command', /affiliate create/],
    [['campaign', 'frobnicate'], 'unknown campaign command "frobnicate"', /campaign list/],
    [['frobnicate'], 'unknown command "frobnicate"', /Usage: pnpm manage/],
    [['campaign', 'list', '--frob'], "Unknown option '--frob'", /campaign list/],
    [['campaign', 'create', '--name', 'X'], '--landing-url is required', /campaign create --name NAME --landing-url URL/],
  ] as const
  const runs = await Promise.all(cases.map(([args]) => manage([...args])))
  cases.forEach(([args, message, usage], i) => {
    const run = runs[i]!
    t.equal(run.code, 2, `manage ${args.join(' ')}`)
    t.equal(run.stdout, '')
    t.ok(run.stderr.startsWith(`manage: ${message}`), run.stderr.split('\n')[0] ?? '')
    t.match(run.stderr, usage)
  })
})

// The database named is unreachable: a usage error (2), not a failed connection (1), proves
// the URL was refused before anything was written.
t.test('a bad landing URL is refused naming --landing-url and the rule, before the database', async (t) => {
  const create = (landingUrl: string) => manage(['campaign', 'create', '--name', 'X', '--landing-url', landingUrl])
  const noHost = '--landing-url must be an http:// or https:// URL with a host, e.g. https://shop.example.com/?click_id={click_id}'
  const cases = [
    ['javascript:alert(1)', noHost],
    ['https:///summer', noHost],
    [`https://shop.example.com/${'a'.repeat(2030)}`, '--landing-url must be at most 2048 characters long; this one has 2055'],
    ['https://{sub1}.example.com/', '--landing-url may hold macros only after the host, in the path, query or fragment'],
  ] as const
  const runs = await Promise.all(cases.map(([landingUrl]) => create(landingUrl)))
  cases.forEach(([, message], i) => {
    t.same(runs[i], { code: 2, stdout: '', stderr: `manage: ${message}\n` })
  })
})

t.test('an unknown macro is refused with the list of known macros', async (t) => {
  const known = '{click_id} {affiliate_id} {campaign_id} {sub1} {sub2} {sub3} {sub4} {sub5}'
  const [create, update] = await Promise.all([
    manage(['campaign', 'create', '--name', 'X', '--landing-url', 'https://shop.test/?c={clickid}']),
    manage(['campaign', 'set-landing-url', '--id', '1', '--landing-url', 'https://shop.test/?c={clickid}&s={Sub1}']),
  ])
  t.same(create, {
    code: 2,
    stdout: '',
    stderr: `manage: --landing-url has an unknown macro {clickid}; the known macros are ${known}\n`,
  })
  t.same(update, {
    code: 2,
    stdout: '',
    stderr: `manage: --landing-url has unknown macros {clickid} {Sub1}; the known macros are ${known}\n`,
  })
})

t.test('an operator creates an affiliate and a campaign with a generated token', async (t) => {
  const { url, sql } = await database(t)
  const affiliate = await manage(['affiliate', 'create', '--name', 'Night Owls'], url)
  t.same(affiliate, { code: 0, stdout: 'created affiliate 1 (Night Owls)\n', stderr: '' })
  const campaign = await manage(['campaign', 'create', '--name', 'Spring', '--landing-url', 'https://shop.test/?c={click_id}'], url)
  t.equal(campaign.code, 0, campaign.stderr)
  const token = campaign.stdout.match(/shown once\): (\S+)\n$/)![1]!
  t.match(token, /^[A-Za-z0-9_-]{43}$/)
  const [row] = await sql`select postback_token from campaigns where id = 1`
  t.equal(row!.postback_token, token)
  t.notMatch((await manage(['campaign', 'list'], url)).stdout, token, 'tokens are never listed')
  const moved = await manage(['campaign', 'set-landing-url', '--id', '1', '--landing-url', 'https://b.test/{sub2}'], url)
  t.same(moved, { code: 0, stdout: 'campaign 1 now redirects to https://b.test/{sub2}\n', stderr: '' })
  const [updated] = await sql`select landing_url from campaigns where id = 1`
  t.equal(updated!.landing_url, 'https://b.test/{sub2}')
})

t.test('campaign list and affiliate list print aligned tables, or JSON with --json', async (t) => {
  const { url, sql } = await database(t)
  t.equal((await manage(['campaign', 'list'], url)).stdout, '(no campaigns yet)\n')
  await sql`insert into affiliates (id, name, created_at) values
    (1, 'Acme Media', '2026-11-01T00:00:00Z'), (12, 'Blue', '2026-11-02T00:00:00Z')`
  await sql`insert into campaigns (id, name, landing_url, postback_token, created_at) values
    (3, 'Summer Sale', 'https://shop.example.com/summer?click_id={click_id}', 'token-123456', '2026-11-01T00:00:00Z'),
    (10, 'VPN', 'https://vpn.example.net/', 'token-654321', '2026-11-03T12:00:00Z')`
  const [campaigns, affiliates, json] = await Promise.all([
    manage(['campaign', 'list'], url),
    manage(['affiliate', 'list'], url),
    manage(['affiliate', 'list', '--json'], url),
  ])
  t.equal(
    campaigns.stdout,
    [
      'id  name         landing_url                                          created_at',
      ' 3  Summer Sale  https://shop.example.com/summer?click_id={click_id}  2026-11-01T00:00:00.000Z',
      '10  VPN          https://vpn.example.net/                             2026-11-03T12:00:00.000Z',
      '',
    ].join('\n'),
  )
  t.equal(
    affiliates.stdout,
    [
      'id  name        created_at',
      ' 1  Acme Media  2026-11-01T00:00:00.000Z',
      '12  Blue        2026-11-02T00:00:00.000Z',
      '',
    ].join('\n'),
  )
  t.same(JSON.parse(json.stdout), [
    { id: 1, name: 'Acme Media', created_at: '2026-11-01T00:00:00.000Z' },
    { id: 12, name: 'Blue', created_at: '2026-11-02T00:00:00.000Z' },
  ])
})

t.test('rotating a token replaces it; an unknown campaign or a short token is a usage error', async (t) => {
  const { url, sql } = await database(t)
  await manage(['campaign', 'create', '--name', 'A', '--landing-url', 'https://a.test/', '--token', 'old-token-123'], url)
  const rotated = await manage(['campaign', 'rotate-token', '--id', '1', '--token', 'new-token-456'], url)
  t.equal(rotated.stdout, 'campaign 1 has a new postback token (shown once): new-token-456\n')
  const [row] = await sql`select postback_token from campaigns where id = 1`
  t.equal(row!.postback_token, 'new-token-456')
  const [missing, badId, short] = await Promise.all([
    manage(['campaign', 'rotate-token', '--id', '99'], url),
    manage(['campaign', 'rotate-token', '--id', '0x1'], url),
    manage(['campaign', 'rotate-token', '--id', '1', '--token', 'short'], url),
  ])
  t.same(missing, { code: 2, stdout: '', stderr: 'manage: no campaign 99\n' })
  t.same(badId, { code: 2, stdout: '', stderr: 'manage: --id must be a positive whole number\n' })
  t.same(short, { code: 2, stdout: '', stderr: 'manage: --token must be 8 to 256 characters\n' })
})

t.test('an unreachable database is exit 1 with one line, never a stack trace', async (t) => {
  const run = await manage(['campaign', 'list'])
  t.equal(run.code, 1)
  t.equal(run.stdout, '')
  t.equal(run.stderr, 'could not open the database at DATABASE_URL: connect ECONNREFUSED 127.0.0.1:1\n')
})

t.test('retention --dry-run prints the days it would drop; retention drops them and prints each', async (t) => {
  const { url, sql } = await database(t)
  await seedDemo(sql)
  await dailyPartitionsSince(sql, 6)
  const day = (ago: number) => new Date(Date.now() - ago * 86_400_000)
  await insertClicks(sql, [
    { click_id: 'old', affiliate_id: 1, campaign_id: 1, timestamp: day(5) },
    { click_id: 'new', affiliate_id: 1, campaign_id: 1, timestamp: day(0) },
  ])
  const env = { RAW_RETENTION_DAYS: '3', ATTRIBUTION_WINDOW_DAYS: '3' }
  const dry = await manage(['retention', '--dry-run'], url, env)
  t.equal(dry.code, 0, dry.stderr)
  t.match(dry.stdout, /^would drop the raw days older than 3 days \(dry run, nothing dropped\):\nfrom +to +partitions/)
  t.match(dry.stdout, /clicks_p\d{8} conversions_p\d{8}/)
  t.equal((await sql`select count(*)::int as n from clicks`)[0]!.n, 2, 'a dry run drops nothing')

  const run = await manage(['retention'], url, env)
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, /^dropped the raw days older than 3 days:\n.*keys deleted +detach ms +drop ms/)
  t.same((await sql`select click_id from clicks`).map((r) => r.click_id), ['new'])
  t.match((await manage(['retention'], url, env)).stdout, /\(none: no raw day is older than 3 days\)/)
  t.match((await manage(['retention'], url, { RAW_RETENTION_DAYS: '0' })).stdout, /kept forever; nothing to drop/)
})

t.test('a retention shorter than the attribution window is refused with both names, before the database', async (t) => {
  const run = await manage(['retention'], UNREACHABLE, { RAW_RETENTION_DAYS: '7', ATTRIBUTION_WINDOW_DAYS: '30' })
  t.equal(run.code, 1)
  t.match(run.stderr, /ATTRIBUTION_WINDOW_DAYS \(30\) must not exceed RAW_RETENTION_DAYS \(7\)/)
  t.notMatch(run.stderr, /\n\s+at /, 'no stack trace')
})
