// Bad input is a 400 naming the parameter, an unknown affiliate a 404, in the one error shape.
import t from 'tap'
import { build, insertFixture } from './helper.ts'

const badRequests: [string, string][] = [
  ['/api/affiliates/1/summary?from=yesterday', 'from'],
  ['/api/affiliates/1/summary?from=2026-02-30', 'from'],
  ['/api/affiliates/1/summary?to=2026-11-01T10:00:00', 'to'], // a local time is not an instant
  ['/api/affiliates/1/summary?to=2026-11-01T25:00:00Z', 'to'],
  ['/api/affiliates/1/summary?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z', 'from'],
  ['/api/affiliates/1/summary?from=2026-11-01T00:00:00Z&to=2026-11-01T00:00:00Z', 'from'],
  ['/api/affiliates/1/summary?from=2999-01-01T00:00:00Z', 'from'], // after the default to (now)
  ['/api/affiliates/1/summary?include_bots=maybe', 'include_bots'],
  ['/api/affiliates/1/campaigns?from=2026-11-01T00:00:00', 'from'],
  ['/api/affiliates/1/timeseries?interval=week', 'interval'],
  ['/api/affiliates/1/timeseries?interval=hour&from=2026-01-01&to=2026-11-01', 'to'], // too many buckets
  ['/api/affiliates/1/breakdown', 'by'],
  ['/api/affiliates/1/breakdown?by=sub6', 'by'],
  ['/api/affiliates/1/breakdown?by=sub1&from=2026-10-01&to=2026-11-02', 'to'], // over 31 days
  ['/api/affiliates/1/breakdown?by=sub1&campaign_id=0x1', 'campaign_id'],
  ['/api/affiliates/1/breakdown?by=sub1&limit=0', 'limit'],
  ['/api/affiliates/1/conversions?limit=0', 'limit'],
  ['/api/affiliates/1/conversions?limit=501', 'limit'],
  ['/api/affiliates/1/conversions?limit=1e3', 'limit'],
  ['/api/affiliates/1/conversions?limit=-1', 'limit'],
  ['/api/affiliates/1/conversions?cursor=abc', 'cursor'],
  ['/api/affiliates/1/conversions?cursor=' + Buffer.from('["x",1]').toString('base64url'), 'cursor'],
  ['/api/affiliates/1/conversions?status=lost', 'status'],
  ['/api/affiliates/0x1/summary', 'id'],
  ['/api/affiliates/1e3/summary', 'id'],
  ['/api/affiliates/-1/summary', 'id'],
  ['/api/affiliates/01/summary', 'id'],
  ['/api/campaigns/abc/postback-url', 'id'],
]

t.test('bad parameters are 400 bad_parameter naming the parameter', async (t) => {
  const { app, sql } = await build(t)
  await insertFixture(sql)
  for (const [url, parameter] of badRequests) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 400, url)
    const body = res.json()
    t.match(body, { status: 'error', code: 'bad_parameter', parameter }, url)
    t.match(body.message, new RegExp(`^${parameter} `), url)
    t.same(Object.keys(body).sort(), ['code', 'message', 'parameter', 'status'], url)
  }
})

t.test('an unknown affiliate is 404 unknown_affiliate on every per-affiliate route', async (t) => {
  const { app, sql } = await build(t)
  await insertFixture(sql)
  for (const id of ['9', '2147483648', '9999999999']) {
    for (const path of ['summary', 'campaigns', 'timeseries', 'breakdown?by=sub1', 'conversions', 'postback-url']) {
      const res = await app.inject(`/api/affiliates/${id}/${path}`)
      t.equal(res.statusCode, 404, `${id}/${path}`)
      t.same(res.json(), { status: 'error', code: 'unknown_affiliate', message: 'Unknown affiliate' })
    }
  }
  t.same((await app.inject('/api/affiliates/1/breakdown?by=sub1&campaign_id=77')).json().code, 'unknown_campaign')
})

t.test('an unknown route is a 404 in the same shape', async (t) => {
  const { app } = await build(t)
  const res = await app.inject('/api/nothing')
  t.equal(res.statusCode, 404)
  t.same(res.json(), { status: 'error', code: 'not_found', message: 'Route GET /api/nothing not found' })
})
