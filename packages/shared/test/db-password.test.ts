// docker-compose.yml gives the services a DATABASE_URL without a password and the password as
// PGPASSWORD beside it, so that no character of it needs URL-encoding: postgres.js takes
// PGPASSWORD when the URL names none.
import { randomBytes } from 'node:crypto'
import t from 'tap'
import { createSql } from '../src/db.ts'
import { createTestDatabase } from '../src/testing.ts'

t.test('a password with @ : / # and more reaches the server intact through PGPASSWORD', async (t) => {
  const url = await createTestDatabase(t)
  const role = `compose_${randomBytes(4).toString('hex')}`
  const password = "p@ss:w/rd#1?%&= '$"
  const admin = createSql(url, { max: 1 })
  await admin.unsafe(`create role ${role} login password '${password.replace(/'/g, "''")}'`)
  t.teardown(async () => {
    await admin.unsafe(`drop role if exists ${role}`)
    await admin.end()
  })
  const bare = new URL(url)
  bare.username = role
  bare.password = ''

  const connectAs = async (pgPassword: string) => {
    process.env.PGPASSWORD = pgPassword
    const sql = createSql(bare.toString(), { max: 1 })
    try {
      return (await sql`select current_user as user`)[0]!.user
    } finally {
      delete process.env.PGPASSWORD
      await sql.end()
    }
  }
  t.equal(await connectAs(password), role)
  await t.rejects(connectAs('wrong'), /password authentication failed/, 'and the server does check it')
})
