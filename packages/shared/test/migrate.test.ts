import { readdir } from 'node:fs/promises'
import t from 'tap'
import { loadTestDatabaseUrl } from '../src/config.ts'
import { createSql, databaseUrl } from '../src/db.ts'
import { migrate, migrationsDir } from '../src/migrate.ts'
import { demoCampaigns, seedDemo } from '../src/seed.ts'
import { createTestDatabase } from '../src/testing.ts'

t.test('replicas migrating at the same moment apply nothing twice', async (t) => {
  const url = await createTestDatabase(t)
  const replicas = Array.from({ length: 4 }, () => createSql(url, { max: 2 }))
  t.teardown(() => Promise.all(replicas.map((sql) => sql.end())))
  // The template is already migrated: every replica finds nothing to do, and none fails.
  const results = await Promise.all(replicas.map((sql) => migrate(sql)))
  t.same(results.map((r) => r.applied), [[], [], [], []])
  const [row] = await replicas[0]!`select count(*)::int as n from schema_migrations`
  t.ok(row!.n >= 1)
})

t.test('demo data goes only into an empty database, once', async (t) => {
  const sql = createSql(await createTestDatabase(t))
  t.teardown(() => sql.end())
  const seeded = await Promise.all([seedDemo(sql), seedDemo(sql), seedDemo(sql)])
  t.same(seeded.filter(Boolean).length, 1)
  const campaigns = await sql`select id, postback_token from campaigns order by id`
  t.same(campaigns.map((c) => c.postback_token), demoCampaigns.map((c) => c.postback_token))
  // New rows get ids after the demo ones.
  const [created] = await sql`insert into affiliates (name) values ('Next') returning id`
  t.equal(created!.id, 4)
})

t.test('the schema refuses a landing URL that is not http(s)', async (t) => {
  const sql = createSql(await createTestDatabase(t))
  t.teardown(() => sql.end())
  await t.rejects(
    sql`insert into campaigns (name, landing_url, postback_token) values ('x', 'javascript:alert(1)', 'token-123456')`,
    { code: '23514' },
  )
})

t.test("the schema holds click_id to the documented rule: 1-128 of [A-Za-z0-9._~:-]", async (t) => {
  const sql = createSql(await createTestDatabase(t))
  t.teardown(() => sql.end())
  const insert = (clickId: string) =>
    sql`insert into clicks (click_id, affiliate_id, campaign_id) values (${clickId}, 1, 1)`
  await seedDemo(sql)
  const [check] = await sql`select convalidated from pg_constraint where conname = 'clicks_click_id_check'`
  t.equal(check!.convalidated, true, 'validated for the rows stored before it')
  for (const ok of ['a', 'A.b_c~d:e-9', 'x'.repeat(128)]) await t.resolves(insert(ok), JSON.stringify(ok))
  for (const bad of ['', 'x'.repeat(129), 'a b', 'a/b', 'caf\u00e9', 'a\nb', 'a%20b']) {
    await t.rejects(insert(bad), { code: '23514' }, JSON.stringify(bad))
  }
})

t.test('an empty database gets every migration, in order, reported by file name', async (t) => {
  const server = createSql(loadTestDatabaseUrl(), { max: 1 })
  const name = `fresh_${process.pid}`
  await server.unsafe(`create database ${name}`)
  const sql = createSql(databaseUrl(loadTestDatabaseUrl(), name), { max: 1 })
  t.teardown(async () => {
    await sql.end()
    await server.unsafe(`drop database if exists ${name} with (force)`)
    await server.end()
  })
  const expected = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort()
  t.same((await migrate(sql)).applied, expected)
  t.same((await migrate(sql)).applied, [], 'nothing is applied twice')
})
