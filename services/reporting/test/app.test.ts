import t from 'tap'
import { openDb, READ_ONLY_ROLE } from '../src/db.ts'
import { build } from './helper.ts'

t.test('the OpenAPI document is served and lists every route; /docs renders it', async (t) => {
  const { app } = await build(t)
  const res = await app.inject('/openapi.json')
  t.equal(res.statusCode, 200)
  const doc = res.json()
  t.match(doc, { openapi: /^3\./, info: { title: 'Affiliate reporting API' } })
  t.same(Object.keys(doc.paths).sort(), [
    '/api/affiliates',
    '/api/affiliates/{id}/breakdown',
    '/api/affiliates/{id}/campaigns',
    '/api/affiliates/{id}/conversions',
    '/api/affiliates/{id}/offers',
    '/api/affiliates/{id}/postback-url',
    '/api/affiliates/{id}/summary',
    '/api/affiliates/{id}/timeseries',
    '/api/campaigns/{id}/postback-url',
  ])
  t.ok(
    doc.paths['/api/affiliates/{id}/summary'].get.responses['200'].content['application/json'].schema.properties
      .revenue,
  )
  const docs = await app.inject('/docs/')
  t.equal(docs.statusCode, 200)
  t.match(docs.headers['content-type'], /text\/html/)
})

t.test('the service reads as a SELECT-only role: a write is refused by PostgreSQL', async (t) => {
  const { url } = await build(t)
  const opened = await openDb(url)
  t.teardown(() => opened.close())
  t.equal(opened.role, READ_ONLY_ROLE)
  await t.resolves(opened.db.selectFrom('affiliates').selectAll().execute())
  await t.rejects(opened.db.insertInto('affiliates').values({ name: 'x' }).execute(), { code: '42501' })
})

t.test('readyz answers when the database is reachable', async (t) => {
  const { app } = await build(t)
  t.same((await app.inject('/readyz')).json(), { status: 'ok' })
})
