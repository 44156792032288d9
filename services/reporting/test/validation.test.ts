// Bad input is a 400 naming the parameter, an unknown affiliate a 404, in the one error shape.
import t from 'tap'
import { instantOf } from '../src/range.ts'
import { build, insertFixture } from './helper.ts'

const cursorOf = (timestamp: string) => Buffer.from(JSON.stringify([timestamp, 1])).toString('base64url')

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
  // Dates PostgreSQL would refuse (each was a 500): a day the calendar lacks, year 0, year 10000.
  ['/api/affiliates/1/conversions?cursor=' + cursorOf('2026-02-30T00:00:00.000000Z'), 'cursor'],
  ['/api/affiliates/1/conversions?cursor=' + cursorOf('2026-04-31T23:59:59.999999Z'), 'cursor'],
  ['/api/affiliates/1/conversions?cursor=' + cursorOf('2026-01-01T24:00:00.000000Z'), 'cursor'],
  ['/api/affiliates/1/conversions?cursor=' + cursorOf('0000-01-01T00:00:00.000000Z'), 'cursor'],
  ['/api/affiliates/1/summary?to=9999-12-31T23:30Z', 'to'],
  ['/api/affiliates/1/summary?to=9999-12-31', 'to'], // past the last year allowed
  ['/api/affiliates/1/summary?from=0000-01-01&to=2026-01-01', 'from'],
  ['/api/affiliates/1/summary?from=1999-12-31&to=2026-01-01', 'from'],
  ['/api/affiliates/1/conversions?from=2026-04-31T10:00Z&to=2026-05-02', 'from'],
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

t.test('the first and last years allowed are answered, to rounded up into 9999', async (t) => {
  const { app, sql } = await build(t)
  await insertFixture(sql)
  const late = await app.inject('/api/affiliates/1/timeseries?from=9998-12-31T20:00Z&to=9998-12-31T23:30Z&interval=hour')
  t.equal(late.statusCode, 200)
  t.match(late.json(), { from: '9998-12-31T20:00:00.000Z', to: '9999-01-01T00:00:00.000Z', items: { length: 4 } })
  const cursor = cursorOf('2000-01-01T12:00:00.000000Z')
  const early = await app.inject(`/api/affiliates/1/conversions?from=2000-01-01T00:00%2B05:00&to=2000-01-02&cursor=${cursor}`)
  t.equal(early.statusCode, 200)
  t.match(early.json(), { from: '1999-12-31T19:00:00.000Z', to: '2000-01-02T00:00:00.000Z', items: [] })
})

t.test('an instant is read in its own offset, to the millisecond', async (t) => {
  t.equal(instantOf('2026-11-01T12:00:00+02:00'), Date.parse('2026-11-01T10:00:00Z'))
  t.equal(instantOf('2026-11-01T12:00-02:30'), Date.parse('2026-11-01T14:30:00Z'))
  t.equal(instantOf('2026-11-01T00:00:00.123456789Z'), Date.parse('2026-11-01T00:00:00.123Z'))
  t.equal(instantOf('2028-02-29'), Date.parse('2028-02-29T00:00:00Z'))
  t.equal(instantOf('2026-02-29'), undefined)
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
