// How the reporting service is kept from writing: the SELECT-only role where its sessions can
// switch to it, read-only transactions where they cannot (Citus), and a SELECT-only login
// of the operator's (REPORTING_DATABASE_URL) anywhere. Runs in `pnpm test` and `pnpm test:citus`.
import { randomBytes } from 'node:crypto'
import t from 'tap'
import { build as buildApp } from '../src/app.ts'
import { openDb, READ_ONLY_ROLE } from '../src/db.ts'
import { build, insertFixture } from './helper.ts'

const ALL = 'from=2026-11-01T00:00:00Z&to=2026-11-04T00:00:00Z'

t.test('the service cannot write: its role where sessions may switch to it, else read-only transactions', async (t) => {
  const { sql, url } = await build(t)
  await insertFixture(sql)
  const [{ citus } = { citus: false }] = await sql<{ citus: boolean }[]>`
    select exists (select from pg_extension where extname = 'citus') as citus`
  const opened = await openDb(url)
  t.teardown(() => opened.close())
  // On Citus a session of a NOLOGIN role fails every query on a distributed table.
  t.equal(opened.role, citus ? undefined : READ_ONLY_ROLE)
  t.same(await opened.db.selectFrom('clicks').select('click_id').where('click_id', '=', 'c1').execute(), [
    { click_id: 'c1' },
  ])
  await t.rejects(opened.db.insertInto('affiliates').values({ name: 'x' }).execute(), {
    code: citus ? '25006' : '42501',
  })
})

t.test('a SELECT-only login (REPORTING_DATABASE_URL) serves every report and cannot write', async (t) => {
  const { sql, url, config } = await build(t)
  await insertFixture(sql)
  // Roles are the server's, shared by every test database: a name and password of its own.
  const login = `reporting_test_${randomBytes(6).toString('hex')}`
  const password = randomBytes(12).toString('hex')
  await sql.unsafe(`create role ${login} login password '${password}' in role ${READ_ONLY_ROLE}`)
  const loginUrl = new URL(url)
  loginUrl.username = login
  loginUrl.password = password
  const app = await buildApp({ config, url: loginUrl.toString() })
  const opened = await openDb(loginUrl.toString())
  try {
    const summary = await app.inject(`/api/affiliates/1/summary?${ALL}`)
    t.equal(summary.statusCode, 200)
    t.match(summary.json(), { clicks: 5, conversions: 3 })
    const page = await app.inject(`/api/affiliates/1/conversions?${ALL}`)
    t.equal(page.statusCode, 200)
    t.equal(page.json().items.length, 5)
    await t.rejects(opened.db.insertInto('affiliates').values({ name: 'x' }).execute())
  } finally {
    await app.close()
    await opened.close()
    await sql.unsafe(`drop role ${login}`)
  }
})
