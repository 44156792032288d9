// `pnpm apikey` as an operator runs it: a process, read by its exit code, stdout and stderr.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'
import { build, runCli } from './helper.ts'

/** Nothing listens here: a command that touches the database fails. */
const UNREACHABLE = 'postgres://affiliate:secret@127.0.0.1:1/none'
const apikey = (args: string[], url = UNREACHABLE) => runCli('apikey', args, url)

t.test('--help prints the usage with commands, flags and an example, exits 0 and needs no database', async (t) => {
  for (const run of await Promise.all([apikey(['--help']), apikey(['create', '-h'])])) {
    t.equal(run.code, 0)
    t.equal(run.stderr, '')
    t.match(run.stdout, /^Usage: pnpm apikey <command> \[flags\]\n/)
    t.match(run.stdout, /create --affiliate N \[--label TEXT\][\s\S]*create --admin[\s\S]*list \[--json\][\s\S]*revoke ID/)
    t.match(run.stdout, /\nFlags:\n[\s\S]*--label TEXT/)
    t.match(run.stdout, /\nExample:\n {2}pnpm apikey create --affiliate 1/)
  }
})

t.test('pnpm apikey --help starts no database for it', async (t) => {
  // As `pnpm apikey` runs it, without DATABASE_URL and with an embedded data folder that cannot
  // be made: opening the embedded server would fail with exit 1.
  const { DATABASE_URL: _, ...env } = process.env
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'scripts/with-database.ts', 'services/reporting/src/cli/apikey.ts', '--help'],
    { cwd: fileURLToPath(new URL('../../../', import.meta.url)), env: { ...env, EMBEDDED_PG_DIR: '/dev/null/pg' } },
  )
  t.match(stdout, /^Usage: pnpm apikey <command> \[flags\]\n/)
})

t.test('a wrong command line is a usage error: exit 2, the message and the usage on stderr, no database', async (t) => {
  const cases = [
    [[], 'a command is required'],
    [['mint'], 'unknown command "mint"'],
    [['create'], 'give exactly one of --affiliate N or --admin'],
    [['create', '--admin', '--affiliate', '1'], 'give exactly one of --affiliate N or --admin'],
    [['revoke'], 'revoke needs a key id (see pnpm apikey list)'],
    [['list', 'extra'], 'unexpected argument "extra"'],
  ] as const
  const runs = await Promise.all(cases.map(([args]) => apikey([...args])))
  cases.forEach(([args, message], i) => {
    const run = runs[i]!
    t.equal(run.code, 2, `apikey ${args.join(' ')}`)
    t.equal(run.stdout, '')
    t.ok(run.stderr.startsWith(`apikey: ${message}\n\nUsage: pnpm apikey`), run.stderr.split('\n')[0] ?? '')
  })
})

t.test('a bad value is exit 2 with one line naming it', async (t) => {
  const { url } = await build(t)
  const [badId, unknown, label] = await Promise.all([
    apikey(['create', '--affiliate', '0x1']),
    apikey(['create', '--affiliate', '99'], url),
    apikey(['create', '--admin', '--label', 'x'.repeat(201)]),
  ])
  t.same(badId, { code: 2, out: badId.stderr, stdout: '', stderr: 'apikey: --affiliate must be an affiliate id\n' })
  t.same(unknown, { code: 2, out: unknown.stderr, stdout: '', stderr: 'apikey: no affiliate 99\n' })
  t.same(label, { code: 2, out: label.stderr, stdout: '', stderr: 'apikey: --label must be at most 200 characters\n' })
})

t.test('apikey list prints an aligned table, or JSON with --json; revoking twice is exit 1', async (t) => {
  const { sql, url } = await build(t)
  t.equal((await apikey(['list'], url)).stdout, '(no keys yet)\n')
  await sql`insert into affiliates (id, name) values (7, 'Acme Media')`
  await sql`insert into api_keys (key_hash, affiliate_id, is_admin, label, created_at) values
    (sha256('a'), 7, false, 'dashboard', '2026-11-01T00:00:00Z'), (sha256('b'), null, true, null, '2026-11-02T00:00:00Z')`
  t.equal((await apikey(['revoke', '2'], url)).stdout, 'revoked key 2\n')
  const [again, list, json] = await Promise.all([
    apikey(['revoke', '2'], url),
    apikey(['list'], url),
    apikey(['list', '--json'], url),
  ])
  t.same({ code: again.code, stdout: again.stdout, stderr: again.stderr }, { code: 1, stdout: '', stderr: 'apikey: no active key 2\n' })
  const [revokedAt] = await sql`select revoked_at from api_keys where id = 2`
  const lines = list.stdout.split('\n')
  t.equal(lines[0], 'id  for          state                             created_at                label')
  t.equal(lines[1], ' 1  affiliate 7  active                            2026-11-01T00:00:00.000Z  dashboard')
  t.equal(lines[2], ` 2  admin        revoked ${revokedAt!.revoked_at.toISOString()}  2026-11-02T00:00:00.000Z`)
  t.match(JSON.parse(json.stdout), [
    { id: 1, affiliate_id: 7, is_admin: false, label: 'dashboard', revoked_at: null },
    { id: 2, affiliate_id: null, is_admin: true, label: null, revoked_at: String },
  ])
})

t.test('an unreachable database is exit 1 with one line, never a stack trace', async (t) => {
  const run = await apikey(['list'])
  t.equal(run.code, 1)
  t.equal(run.stdout, '')
  t.equal(run.stderr, 'apikey: cannot reach the database (connect ECONNREFUSED 127.0.0.1:1)\n')
})
