import t from 'tap'
import { createSql } from '@affiliate/shared/db'
import { createTestDatabase } from '@affiliate/shared/testing'
import { UsageError, manage } from './manage.ts'

async function database(t: Tap) {
  const sql = createSql(await createTestDatabase(t), { max: 1 })
  t.teardown(() => sql.end())
  return sql
}
type Tap = { teardown(fn: () => unknown): void }

t.test('an operator creates an affiliate and a campaign with a generated token', async (t) => {
  const sql = await database(t)
  t.equal(await manage(sql, ['affiliate', 'create', '--name', 'Night Owls']), 'created affiliate 1 (Night Owls)')
  const out = await manage(sql, ['campaign', 'create', '--name', 'Spring', '--landing-url', 'https://shop.test/?c={click_id}'])
  const token = out.match(/shown once\): (\S+)$/)![1]!
  t.match(token, /^[A-Za-z0-9_-]{43}$/)
  const [row] = await sql`select postback_token from campaigns where id = 1`
  t.equal(row!.postback_token, token)
  t.notMatch(await manage(sql, ['campaign', 'list']), token, 'tokens are never listed')
})

t.test('rotating a token replaces it; an unknown campaign is a usage error', async (t) => {
  const sql = await database(t)
  await manage(sql, ['campaign', 'create', '--name', 'A', '--landing-url', 'https://a.test/', '--token', 'old-token-123'])
  await manage(sql, ['campaign', 'rotate-token', '--id', '1', '--token', 'new-token-456'])
  const [row] = await sql`select postback_token from campaigns where id = 1`
  t.equal(row!.postback_token, 'new-token-456')
  await t.rejects(manage(sql, ['campaign', 'rotate-token', '--id', '99']), UsageError)
  await t.rejects(manage(sql, ['campaign', 'rotate-token', '--id', '0x1']), { message: '--id must be a positive whole number' })
})

t.test('a landing URL that is not http(s) is refused by the database', async (t) => {
  const sql = await database(t)
  await t.rejects(manage(sql, ['campaign', 'create', '--name', 'X', '--landing-url', 'javascript:alert(1)']), { code: '23514' })
  await t.rejects(manage(sql, ['campaign', 'frobnicate']), UsageError)
})
