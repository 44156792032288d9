// GET /api/affiliates/:id/offers over real HTTP: every campaign with the affiliate's ready
// click link, built from PUBLIC_INGEST_URL; the same access rules as every affiliate route.
import { readFile } from 'node:fs/promises'
import type { AffiliateUrls, OfferList } from '@affiliate/contracts'
import t from 'tap'
import { hashApiKey } from '../src/queries/api-keys.ts'
import { build, insertFixture } from './helper.ts'

const KEYS = { one: 'ak_offers-affiliate-one', admin: 'ak_offers-admin' }

async function serve(t: Parameters<typeof build>[0], overrides: Parameters<typeof build>[1] = {}) {
  const built = await build(t, { publicIngestUrl: 'https://track.example.com', ...overrides })
  await insertFixture(built.sql)
  const base = await built.app.listen({ host: '127.0.0.1', port: 0 })
  const get = (path: string, key?: string) =>
    fetch(`${base}${path}`, { headers: key === undefined ? {} : { authorization: `Bearer ${key}` } })
  return { ...built, get }
}

t.test('GET /offers lists every campaign by id with its click link for this affiliate', async (t) => {
  const { sql, get } = await serve(t)
  await sql`insert into campaigns (id, name, landing_url, postback_token) values
    (5, 'Never Clicked', 'https://new.example.com/', 'token-never-5')`
  const res = await get('/api/affiliates/2/offers')
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type'), /^application\/json/)
  t.equal(
    await res.text(),
    '{"items":[' +
      '{"campaign_id":1,"name":"Summer Sale","click_url":"https://track.example.com/click?affiliate_id=2&campaign_id=1"},' +
      '{"campaign_id":2,"name":"VPN Trial","click_url":"https://track.example.com/click?affiliate_id=2&campaign_id=2"},' +
      '{"campaign_id":5,"name":"Never Clicked","click_url":"https://track.example.com/click?affiliate_id=2&campaign_id=5"}]}',
  )
})

t.test("the README's example is the exact answer for the fixture with the default PUBLIC_INGEST_URL", async (t) => {
  const { get } = await serve(t, { publicIngestUrl: 'http://localhost:3000' })
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
  const example = /`GET \/api\/affiliates\/:id\/offers`[\s\S]*?```json\n(.*)\n```/.exec(readme)
  t.equal(await (await get('/api/affiliates/1/offers')).text(), example?.[1])
})

t.test('an affiliate without any traffic is offered every campaign too', async (t) => {
  const { get } = await serve(t)
  const body = (await (await get('/api/affiliates/3/offers')).json()) as OfferList
  t.same(
    body.items.map((o) => o.campaign_id),
    [1, 2],
  )
})

t.test('the click link is the one the postback-url route builds, with the campaign filled in', async (t) => {
  const { get } = await serve(t)
  const template = ((await (await get('/api/affiliates/1/postback-url')).json()) as AffiliateUrls).click_url
  const offers = (await (await get('/api/affiliates/1/offers')).json()) as OfferList
  t.equal(template, 'https://track.example.com/click?affiliate_id=1&campaign_id={campaign_id}&sub1={sub1}')
  t.equal(template.replace('{campaign_id}', '1').replace('&sub1={sub1}', ''), offers.items[0]!.click_url)
})

t.test('an unknown affiliate is 404 and a malformed id 400', async (t) => {
  const { get } = await serve(t)
  const unknown = await get('/api/affiliates/99/offers')
  t.equal(unknown.status, 404)
  t.same(await unknown.json(), { status: 'error', code: 'unknown_affiliate', message: 'Unknown affiliate' })
  const malformed = await get('/api/affiliates/0x1/offers')
  t.equal(malformed.status, 400)
  t.match(await malformed.json(), { code: 'bad_parameter' })
})

t.test("AUTH_MODE=key: an affiliate's key gets its own offers only; others are 404 like unknown ids", async (t) => {
  const { sql, get } = await serve(t, { authMode: 'key' })
  await sql`insert into api_keys (key_hash, affiliate_id, is_admin) values
    (${hashApiKey(KEYS.one)}, 1, false), (${hashApiKey(KEYS.admin)}, null, true)`
  t.equal((await get('/api/affiliates/1/offers')).status, 401, 'no key')
  const own = await get('/api/affiliates/1/offers', KEYS.one)
  t.equal(own.status, 200)
  t.equal(((await own.json()) as OfferList).items[0]!.click_url, 'https://track.example.com/click?affiliate_id=1&campaign_id=1')
  const other = await get('/api/affiliates/2/offers', KEYS.one)
  t.equal(other.status, 404)
  t.same(await other.json(), await (await get('/api/affiliates/99/offers', KEYS.one)).json())
  t.equal((await get('/api/affiliates/2/offers', KEYS.admin)).status, 200, 'an admin key sees every affiliate')
})

t.test('the route is in the OpenAPI document with its response schema', async (t) => {
  const { get } = await serve(t)
  const doc = (await (await get('/openapi.json')).json()) as {
    paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }>
  }
  const operation = doc.paths['/api/affiliates/{id}/offers']!.get
  t.match(operation.responses['200']!.content['application/json']!.schema, {
    properties: { items: { type: 'array', items: { required: ['campaign_id', 'name', 'click_url'] } } },
  })
  t.ok(operation.responses['404'], 'documents the 404')
})
