// Malformed input is a 400 naming the parameter — never a 5xx, nothing stored — and every
// error, Fastify's own included, has the shape {"status":"error","code","message"}.
import t from 'tap'
import { DEMO_TOKEN, build } from './helper.ts'

const click = (query: string) => `/click?${query}`
const postback = (query: string) => `/postback?${query}`

t.test('ids must be plain whole numbers in int range: 0x1, 1e3, -1, 1.5, 0, out of range are 400s', async (t) => {
  const { app, sql } = await build(t)
  const bad = ['0x1', '1e3', '-1', '1.5', '0', '01', '2147483648', '99999999999999999999', '', '%201', '1%00']
  for (const value of bad) {
    for (const [url, parameter] of [
      [click(`affiliate_id=${value}&campaign_id=1`), 'affiliate_id'],
      [click(`affiliate_id=1&campaign_id=${value}`), 'campaign_id'],
      [postback(`affiliate_id=${value}&click_id=c&amount=1&currency=USD&token=${DEMO_TOKEN}`), 'affiliate_id'],
    ] as const) {
      const res = await app.inject(url)
      t.equal(res.statusCode, 400, `${url}`)
      t.same(res.json(), {
        status: 'error',
        code: 'bad_parameter',
        message: `${parameter} must be a whole number from 1 to 2147483647`,
        parameter,
      })
    }
  }
  t.equal(
    (await app.inject(click('affiliate_id=2147483647&campaign_id=1'))).json().code,
    'unknown_affiliate',
    'the largest id is valid',
  )
  t.same(await sql`select 1 from clicks`, [])
})

t.test('a missing parameter is a 400 naming it', async (t) => {
  const { app } = await build(t)
  const res = await app.inject(click('affiliate_id=1'))
  t.equal(res.statusCode, 400)
  t.match(res.json(), { code: 'bad_parameter', parameter: 'campaign_id' })
  const pb = await app.inject(postback('affiliate_id=1&click_id=c&currency=USD'))
  t.match(pb.json(), { code: 'bad_parameter', parameter: 'amount' })
})

t.test('click_id is 1 to 128 characters of [A-Za-z0-9._~:-]', async (t) => {
  const { app, sql } = await build(t)
  for (const value of ['a%20b', 'a/b', 'x'.repeat(129), 'caf%C3%A9', 'a%00']) {
    const res = await app.inject(click(`affiliate_id=1&campaign_id=1&click_id=${value}`))
    t.equal(res.statusCode, 400, value)
    t.match(res.json(), {
      code: 'bad_parameter',
      parameter: 'click_id',
      message: /^click_id must be 1 to 128 characters/,
    })
  }
  const ok = await app.inject(click(`affiliate_id=1&campaign_id=1&click_id=${'A.b_c~d:e-9'.padEnd(128, 'z')}`))
  t.equal(ok.statusCode, 302)
  t.equal((await sql`select 1 from clicks`).length, 1)
})

t.test('NUL bytes and control characters in text parameters are 400s naming the parameter', async (t) => {
  const { app, sql } = await build(t)
  const res = await app.inject(click('affiliate_id=1&campaign_id=1&sub3=a%00b'))
  t.equal(res.statusCode, 400)
  t.same(res.json(), {
    status: 'error',
    code: 'bad_parameter',
    message: 'sub3 must not contain control characters',
    parameter: 'sub3',
  })
  const txn = await app.inject(
    postback(`affiliate_id=1&click_id=c&amount=1&currency=USD&txn_id=%0Aevil&token=${DEMO_TOKEN}`),
  )
  t.match(txn.json(), { code: 'bad_parameter', parameter: 'txn_id' })
  t.same(await sql`select 1 from clicks`, [])
})

t.test('invalid percent-encoding is a 400 naming the parameter', async (t) => {
  const { app, sql } = await build(t)
  for (const [query, parameter] of [
    ['affiliate_id=1&campaign_id=1&sub1=%zz', 'sub1'],
    ['affiliate_id=1&campaign_id=1&sub2=%E0%A4%A', 'sub2'],
    ['affiliate_id=1&campaign_id=1&sub2=ok&sub4=%C0%AF', 'sub4'],
  ] as const) {
    const res = await app.inject(click(query))
    t.equal(res.statusCode, 400, query)
    t.same(res.json(), {
      status: 'error',
      code: 'bad_parameter',
      message: `${parameter} has invalid percent-encoding`,
      parameter,
    })
  }
  const form = await app.inject({
    method: 'POST',
    url: '/postback',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `affiliate_id=1&click_id=c&amount=1&currency=USD&txn_id=%ff&token=${DEMO_TOKEN}`,
  })
  t.match(form.json(), { code: 'bad_parameter', parameter: 'txn_id', message: 'txn_id has invalid percent-encoding' })
  t.same(await sql`select 1 from clicks`, [])
})

t.test('over-long parameters are 400s naming the parameter', async (t) => {
  const { app } = await build(t)
  const res = await app.inject(click(`affiliate_id=1&campaign_id=1&sub5=${'s'.repeat(256)}`))
  t.match(res.json(), {
    code: 'bad_parameter',
    parameter: 'sub5',
    message: 'sub5 must NOT have more than 255 characters',
  })
  const txn = await app.inject(
    postback(`affiliate_id=1&click_id=c&amount=1&currency=USD&txn_id=${'t'.repeat(129)}&token=${DEMO_TOKEN}`),
  )
  t.match(txn.json(), { code: 'bad_parameter', parameter: 'txn_id' })
})

t.test('amount, currency and status are checked before anything else', async (t) => {
  const { app } = await build(t)
  const cases: [string, string, string][] = [
    [
      'amount=NaN&currency=USD',
      'amount',
      'amount must be a decimal number like 10 or 10.50 (up to 14 digits and 4 decimals)',
    ],
    ['amount=1e3&currency=USD', 'amount', ''],
    ['amount=-5&currency=USD', 'amount', ''],
    ['amount=0x10&currency=USD', 'amount', ''],
    ['amount=1.23456&currency=USD', 'amount', ''],
    ['amount=123456789012345&currency=USD', 'amount', ''],
    ['amount=10&currency=XYZ', 'currency', 'currency must be an ISO 4217 currency code'],
    ['amount=10&currency=US', 'currency', ''],
    ['amount=10&currency=USD&status=paid', 'status', 'status must be one of approved, pending, rejected'],
  ]
  for (const [query, parameter, message] of cases) {
    // A wrong token and an unknown click too: the malformed parameter is reported first.
    const res = await app.inject(postback(`affiliate_id=1&click_id=nope&${query}&token=wrong-token`))
    t.equal(res.statusCode, 400, query)
    t.match(res.json(), { code: 'bad_parameter', parameter, ...(message ? { message } : {}) })
  }
})

t.test('an unknown route is a 404 in the error shape', async (t) => {
  const { app } = await build(t)
  const res = await app.inject('/clicks?token=secret')
  t.equal(res.statusCode, 404)
  t.same(res.json(), { status: 'error', code: 'not_found', message: 'Route GET /clicks not found' })
})

t.test('an unsupported content type is a 415 in the error shape', async (t) => {
  const { app, sql } = await build(t)
  const res = await app.inject({
    method: 'POST',
    url: '/postback',
    headers: { 'content-type': 'text/xml' },
    payload: '<a/>',
  })
  t.equal(res.statusCode, 415)
  t.match(res.json(), { status: 'error', code: 'unsupported_media_type' })
  t.same(await sql`select 1 from conversions`, [])
})

t.test('a body too large is a 413 in the error shape', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({
    method: 'POST',
    url: '/postback',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ affiliate_id: '1', padding: 'x'.repeat(20_000) }),
  })
  t.equal(res.statusCode, 413)
  t.match(res.json(), { status: 'error', code: 'payload_too_large' })
})

t.test('malformed JSON is a 400 in the error shape', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({
    method: 'POST',
    url: '/postback',
    headers: { 'content-type': 'application/json' },
    payload: '{"a":',
  })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { status: 'error', code: 'bad_request' })
})

t.test('a repeated parameter is a 400 naming it', async (t) => {
  const { app } = await build(t)
  const res = await app.inject(click('affiliate_id=1&affiliate_id=2&campaign_id=1'))
  t.equal(res.statusCode, 400)
  t.match(res.json(), { code: 'bad_parameter', parameter: 'affiliate_id' })
})
