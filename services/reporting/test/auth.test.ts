// AUTH_MODE=key: a key on every /api request; an affiliate's key sees only its affiliate
// (others are 404 like unknown ids), an admin key sees all; only hashes are stored.
import { createHash } from 'node:crypto'
import t from 'tap'
import { build, insertFixture, runCli } from './helper.ts'

const ENDPOINTS = ['summary', 'campaigns', 'timeseries', 'breakdown?by=sub1', 'conversions', 'postback-url', 'offers']
const KEYS = {
  one: 'ak_affiliate-one-key',
  two: 'ak_affiliate-two-key',
  admin: 'ak_admin-key',
  revoked: 'ak_revoked-key',
}
const sha256 = (key: string) => createHash('sha256').update(key).digest()

async function setup(t: Parameters<typeof build>[0]) {
  const { app, sql, url } = await build(t, { authMode: 'key' })
  await insertFixture(sql)
  await sql`insert into api_keys (key_hash, affiliate_id, is_admin, revoked_at) values
    (${sha256(KEYS.one)}, 1, false, null), (${sha256(KEYS.two)}, 2, false, null),
    (${sha256(KEYS.admin)}, null, true, null), (${sha256(KEYS.revoked)}, 1, false, now())`
  const get = (path: string, key?: string) =>
    app.inject({ url: path, headers: key === undefined ? {} : { authorization: `Bearer ${key}` } })
  return { app, sql, url, get }
}

t.test('every /api route refuses a request without a key or with an unknown or revoked one', async (t) => {
  const { get } = await setup(t)
  const paths = ['/api/affiliates', '/api/campaigns/1/postback-url', ...ENDPOINTS.map((e) => `/api/affiliates/1/${e}`)]
  for (const path of paths) {
    const missing = await get(path)
    t.equal(missing.statusCode, 401, path)
    t.equal(missing.json().code, 'missing_api_key', path)
    t.equal(missing.headers['www-authenticate'], 'Bearer realm="reporting"')
    for (const key of ['ak_nobody', KEYS.revoked]) {
      const res = await get(path, key)
      t.equal(res.statusCode, 401, `${path} with ${key}`)
      t.same(res.json(), { status: 'error', code: 'invalid_api_key', message: 'Unknown or revoked API key' })
    }
  }
  t.equal((await get('/api/affiliates/1/summary', undefined)).statusCode, 401)
  const basic = await (await setup(t)).app.inject({ url: '/api/affiliates', headers: { authorization: 'Basic abc' } })
  t.equal(basic.statusCode, 401)
})

t.test("an affiliate's key reads its own affiliate on every route and gets 404 for any other", async (t) => {
  const { get } = await setup(t)
  for (const endpoint of ENDPOINTS) {
    t.equal((await get(`/api/affiliates/1/${endpoint}`, KEYS.one)).statusCode, 200, `own ${endpoint}`)
    const other = await get(`/api/affiliates/2/${endpoint}`, KEYS.one)
    const unknown = await get(`/api/affiliates/9/${endpoint}`, KEYS.one)
    t.equal(other.statusCode, 404, `other ${endpoint}`)
    // Indistinguishable from an id that does not exist: ids cannot be probed.
    t.same(other.json(), unknown.json())
    t.same(other.json(), { status: 'error', code: 'unknown_affiliate', message: 'Unknown affiliate' })
  }
  t.same((await get('/api/affiliates', KEYS.one)).json(), { items: [{ id: 1, name: 'Acme Media' }] })
  const own = (await get('/api/affiliates/2/conversions?from=2026-11-01&to=2026-11-04', KEYS.two)).json()
  t.same(
    own.items.map((c: { click_id: string }) => c.click_id),
    ['d1'],
  )
  t.equal((await get('/api/affiliates/2/summary?from=2026-11-01&to=2026-11-04', KEYS.two)).json().clicks, 1)
})

t.test('an admin key sees every affiliate; only it gets a campaign postback URL with the token', async (t) => {
  const { get } = await setup(t)
  for (const endpoint of ENDPOINTS) {
    for (const id of [1, 2]) t.equal((await get(`/api/affiliates/${id}/${endpoint}`, KEYS.admin)).statusCode, 200)
  }
  t.equal((await get('/api/affiliates', KEYS.admin)).json().items.length, 3)
  const forAffiliate = await get('/api/campaigns/1/postback-url', KEYS.one)
  t.equal(forAffiliate.statusCode, 403)
  t.same(forAffiliate.json(), { status: 'error', code: 'admin_required', message: 'This needs an admin API key' })
  const forAdmin = await get('/api/campaigns/1/postback-url', KEYS.admin)
  t.equal(forAdmin.statusCode, 200)
  t.equal(forAdmin.json().token, 'token-summer-1')
})

t.test('health, metrics and the API document need no key', async (t) => {
  const { get } = await setup(t)
  for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json'])
    t.equal((await get(path)).statusCode, 200, path)
})

t.test('pnpm apikey create prints a 256-bit key once and stores only its SHA-256', async (t) => {
  const { sql, url, get } = await setup(t)
  const run = (args: string[]) => runCli('apikey', args, url)
  const created = await run(['create', '--affiliate', '2', '--label', 'test'])
  t.equal(created.code, 0, created.out)
  const key = created.out.trim().split('\n').at(-1)!
  t.match(key, /^ak_[A-Za-z0-9_-]{43}$/) // 32 random bytes
  const [stored] = await sql`select key_hash, affiliate_id, is_admin, label from api_keys where label = 'test'`
  t.same(stored!.key_hash, sha256(key))
  t.match(stored, { affiliate_id: 2, is_admin: false })
  const [leak] =
    await sql`select count(*)::int as n from api_keys where position(${key}::bytea in key_hash) > 0 or label = ${key}`
  t.equal(leak!.n, 0)
  t.equal((await get('/api/affiliates/2/summary', key)).statusCode, 200)
  t.equal((await get('/api/affiliates/1/summary', key)).statusCode, 404)
  t.equal((await run(['create', '--affiliate', '99'])).code, 2)
  t.equal((await run(['create'])).code, 2)
})
