import { insertClicks, insertConversions } from '@affiliate/shared/testing'
import t from 'tap'
import type { App } from '../src/app.ts'
import { DEMO_TOKEN, build, concurrently, fromBrowser } from './helper.ts'

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000)

const OK = { status: 'success', message: 'Conversion tracked' }

async function clickOn(app: App, clickId: string, affiliate = 1, campaign = 1) {
  const res = await app.inject(
    fromBrowser(`/click?affiliate_id=${affiliate}&campaign_id=${campaign}&click_id=${clickId}`),
  )
  if (res.statusCode !== 302) throw new Error(`click failed: ${res.body}`)
}

const postback = (query: string, token: string | null = DEMO_TOKEN) =>
  `/postback?${query}${token === null ? '' : `&token=${token}`}`

t.test('a postback on a stored click is tracked: 200 and one conversion row', async (t) => {
  const { app, sql } = await build(t)
  await clickOn(app, 'k1')
  const res = await app.inject({
    ...fromBrowser(postback('affiliate_id=1&click_id=k1&amount=19.99&currency=eur&txn_id=T-1')),
    headers: { 'user-agent': 'AdvertiserBot/1.0', 'x-forwarded-for': '203.0.113.9' },
  })
  t.equal(res.statusCode, 200)
  t.same(res.json(), OK)
  const [row] = await sql`select click_id, txn_id, amount::text, currency, status, affiliate_id, campaign_id,
    host(source_ip) as source_ip, raw_request from conversions`
  t.same(row, {
    click_id: 'k1',
    txn_id: 'T-1',
    amount: '19.9900',
    currency: 'EUR',
    status: 'approved',
    affiliate_id: 1,
    campaign_id: 1,
    source_ip: '127.0.0.1',
    raw_request: {
      method: 'GET',
      params: {
        affiliate_id: '1',
        click_id: 'k1',
        amount: '19.99',
        currency: 'eur',
        txn_id: 'T-1',
        token: '[redacted]',
      },
      user_agent: 'AdvertiserBot/1.0',
    },
  })
})

t.test('a replay answers 200 with "duplicate": true and stores nothing; amounts compare numerically', async (t) => {
  const { app, sql } = await build(t)
  await clickOn(app, 'k1')
  t.same((await app.inject(postback('affiliate_id=1&click_id=k1&amount=10&currency=USD'))).json(), OK)
  for (const amount of ['10', '10.00', '10.0000']) {
    const res = await app.inject(postback(`affiliate_id=1&click_id=k1&amount=${amount}&currency=usd`))
    t.equal(res.statusCode, 200)
    t.same(res.json(), { ...OK, duplicate: true })
  }
  t.equal((await sql`select 1 from conversions`).length, 1)
  const [stats] = await sql`select conversions::int, amount::text from conversion_stats_hourly`
  t.same(stats, { conversions: 1, amount: '10.0000' })
})

t.test('the same key with another amount, currency or status is 409 duplicate_conflict', async (t) => {
  const { app, sql } = await build(t)
  await clickOn(app, 'k1')
  await app.inject(postback('affiliate_id=1&click_id=k1&amount=10&currency=USD'))
  for (const change of ['amount=11&currency=USD', 'amount=10&currency=EUR', 'amount=10&currency=USD&status=pending']) {
    const res = await app.inject(postback(`affiliate_id=1&click_id=k1&${change}`))
    t.equal(res.statusCode, 409, change)
    t.equal(res.json().code, 'duplicate_conflict')
  }
  t.equal((await sql`select 1 from conversions`).length, 1)
})

t.test('distinct txn_ids make distinct conversions of one click', async (t) => {
  const { app, sql } = await build(t)
  await clickOn(app, 'k1')
  for (const txn of ['A', 'B']) {
    t.same((await app.inject(postback(`affiliate_id=1&click_id=k1&amount=5&currency=USD&txn_id=${txn}`))).json(), OK)
  }
  t.same(
    (await app.inject(postback('affiliate_id=1&click_id=k1&amount=5&currency=USD'))).json(),
    OK,
    'no txn_id is its own key',
  )
  t.equal((await sql`select 1 from conversions`).length, 3)
  const [stats] = await sql`select conversions::int, amount::text from conversion_stats_hourly`
  t.same(stats, { conversions: 3, amount: '15.0000' })
})

t.test('status is approved by default, or pending / rejected as given', async (t) => {
  const { app, sql } = await build(t)
  await clickOn(app, 'k1')
  await app.inject(postback('affiliate_id=1&click_id=k1&amount=1&currency=USD&txn_id=a'))
  await app.inject(postback('affiliate_id=1&click_id=k1&amount=2&currency=USD&txn_id=b&status=pending'))
  await app.inject(postback('affiliate_id=1&click_id=k1&amount=3&currency=USD&txn_id=c&status=Rejected'))
  const rows = await sql`select txn_id, status from conversions order by txn_id`
  t.same(rows, [
    { txn_id: 'a', status: 'approved' },
    { txn_id: 'b', status: 'pending' },
    { txn_id: 'c', status: 'rejected' },
  ])
  const stats = await sql`select status, conversions::int from conversion_stats_hourly order by status`
  t.same(stats.length, 3)
})

t.test('a missing or unknown token is 401 invalid_token, even for a click that does not exist', async (t) => {
  const { app, sql } = await build(t)
  await clickOn(app, 'k1')
  for (const url of [
    postback('affiliate_id=1&click_id=k1&amount=1&currency=USD', null),
    postback('affiliate_id=1&click_id=k1&amount=1&currency=USD', ''),
    postback('affiliate_id=1&click_id=k1&amount=1&currency=USD', 'demo-token-9'),
    postback('affiliate_id=1&click_id=no-such-click&amount=1&currency=USD', 'guess'),
  ]) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 401, url)
    t.same(res.json(), { status: 'error', code: 'invalid_token', message: 'Invalid token' })
  }
  t.same(await sql`select 1 from conversions`, [])
})

t.test("an unknown click, another affiliate's click, or another advertiser's click is 404 Invalid click", async (t) => {
  const { app, sql } = await build(t)
  await clickOn(app, 'k1', 1, 1)
  await clickOn(app, 'k2', 2, 2)
  const invalid = { status: 'error', code: 'invalid_click', message: 'Invalid click' }
  for (const url of [
    postback('affiliate_id=1&click_id=unknown&amount=1&currency=USD'),
    postback('affiliate_id=2&click_id=k1&amount=1&currency=USD'),
    // demo-token-1 is campaign 1's advertiser; k2 is a click on campaign 2.
    postback('affiliate_id=2&click_id=k2&amount=1&currency=USD'),
  ]) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 404, url)
    t.same(res.json(), invalid)
  }
  t.same((await app.inject(postback('affiliate_id=2&click_id=k2&amount=1&currency=USD', 'demo-token-2'))).json(), OK)
  t.equal((await sql`select 1 from conversions`).length, 1)
})

t.test('an advertiser with several campaigns converts clicks of each of them', async (t) => {
  const { app, sql } = await build(t)
  await sql`update campaigns set postback_token = 'advertiser-token' where id in (2, 3)`
  await clickOn(app, 'k2', 1, 2)
  await clickOn(app, 'k3', 1, 3)
  for (const click of ['k2', 'k3']) {
    const res = await app.inject(postback(`affiliate_id=1&click_id=${click}&amount=1&currency=USD`, 'advertiser-token'))
    t.same(res.json(), OK)
  }
  await clickOn(app, 'k1', 1, 1)
  t.equal(
    (await app.inject(postback('affiliate_id=1&click_id=k1&amount=1&currency=USD', 'advertiser-token'))).statusCode,
    404,
  )
})

t.test('a click older than the attribution window is 422 click_expired', async (t) => {
  const { app, sql } = await build(t, { ATTRIBUTION_WINDOW_DAYS: '7' })
  await insertClicks(sql, [
    { click_id: 'old', affiliate_id: 1, campaign_id: 1, timestamp: daysAgo(8) },
    { click_id: 'recent', affiliate_id: 1, campaign_id: 1, timestamp: daysAgo(6) },
  ])
  const old = await app.inject(postback('affiliate_id=1&click_id=old&amount=1&currency=USD'))
  t.equal(old.statusCode, 422)
  t.equal(old.json().code, 'click_expired')
  t.equal((await app.inject(postback('affiliate_id=1&click_id=recent&amount=1&currency=USD'))).statusCode, 200)
  t.equal((await sql`select 1 from conversions`).length, 1)
})

t.test('checks run in order: token before click, click before window, window before conflict', async (t) => {
  const { app, sql } = await build(t, { ATTRIBUTION_WINDOW_DAYS: '7' })
  await insertClicks(sql, [{ click_id: 'old', affiliate_id: 1, campaign_id: 1, timestamp: daysAgo(8) }])
  await insertConversions(sql, [{ click_id: 'old', amount: 5, currency: 'USD' }])
  t.equal(
    (await app.inject(postback('affiliate_id=2&click_id=old&amount=6&currency=USD', 'bad-token'))).statusCode,
    401,
  )
  t.equal((await app.inject(postback('affiliate_id=2&click_id=old&amount=6&currency=USD'))).statusCode, 404)
  t.equal((await app.inject(postback('affiliate_id=1&click_id=old&amount=6&currency=USD'))).statusCode, 422)
  const replay = await app.inject(postback('affiliate_id=1&click_id=old&amount=5&currency=USD'))
  t.same(replay.json(), { ...OK, duplicate: true }, 'an exact replay stays idempotent after the window')
})

t.test('POST with a form body or a JSON body is accepted like GET', async (t) => {
  const { app, sql } = await build(t)
  await clickOn(app, 'k1')
  const form = await app.inject({
    method: 'POST',
    url: '/postback',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `affiliate_id=1&click_id=k1&amount=3.5&currency=GBP&txn_id=form&token=${DEMO_TOKEN}`,
  })
  t.same(form.json(), OK)
  const json = await app.inject({
    method: 'POST',
    url: '/postback',
    payload: {
      affiliate_id: 1,
      click_id: 'k1',
      amount: 7.25,
      currency: 'JPY',
      txn_id: 'json',
      token: DEMO_TOKEN,
      order: { id: 9 },
    },
  })
  t.same(json.json(), OK)
  const rows = await sql`select txn_id, amount::text, currency, raw_request from conversions order by txn_id`
  t.same(
    rows.map((r) => [r.txn_id, r.amount, r.currency, r.raw_request.method, r.raw_request.params.token]),
    [
      ['form', '3.5000', 'GBP', 'POST', '[redacted]'],
      ['json', '7.2500', 'JPY', 'POST', '[redacted]'],
    ],
  )
  t.equal(rows[1]!.raw_request.params.order, '[unsupported]')
  const query = await app.inject({
    method: 'POST',
    url: postback('affiliate_id=1&click_id=k1&amount=1&currency=USD&txn_id=q'),
  })
  t.same(query.json(), OK, 'a POST without a body takes its parameters from the query string')
})

t.test('POSTBACK_TOKEN_REQUIRED=false accepts the tokenless form, but still checks a given token', async (t) => {
  const { app, sql } = await build(t, { POSTBACK_TOKEN_REQUIRED: 'false' })
  await clickOn(app, 'k1')
  t.same((await app.inject(postback('affiliate_id=1&click_id=k1&amount=100&currency=USD', null))).json(), OK)
  t.equal(
    (await app.inject(postback('affiliate_id=1&click_id=k1&amount=1&currency=USD&txn_id=x', 'wrong'))).statusCode,
    401,
  )
  t.equal(
    (await app.inject(postback('affiliate_id=2&click_id=k1&amount=1&currency=USD&txn_id=y', null))).statusCode,
    404,
  )
  t.equal((await sql`select 1 from conversions`).length, 1)
})

t.test('a rotated token works at once, through the cache', async (t) => {
  const { app, sql } = await build(t)
  await clickOn(app, 'k1')
  await sql`update campaigns set postback_token = 'rotated-token-1' where id = 1`
  t.same((await app.inject(postback('affiliate_id=1&click_id=k1&amount=1&currency=USD', 'rotated-token-1'))).json(), OK)
})

t.test('50 concurrent identical postbacks store exactly one row and all answer 200', async (t) => {
  const { app, sql } = await build(t)
  await clickOn(app, 'k1')
  const responses = await concurrently(50, () =>
    app.inject(postback('affiliate_id=1&click_id=k1&amount=42.5&currency=USD&txn_id=same')),
  )
  t.same(new Set(responses.map((r) => r.statusCode)), new Set([200]))
  t.equal(responses.filter((r) => r.json().duplicate !== true).length, 1, 'one is the first, the others replays')
  t.equal((await sql`select 1 from conversions`).length, 1)
  const [stats] = await sql`select conversions::int, amount::text from conversion_stats_hourly`
  t.same(stats, { conversions: 1, amount: '42.5000' })
})

t.test('concurrent postbacks with one key and different amounts: one stored, the others 409', async (t) => {
  const { app, sql } = await build(t)
  await clickOn(app, 'k1')
  const responses = await concurrently(20, (i) =>
    app.inject(postback(`affiliate_id=1&click_id=k1&amount=${i + 1}&currency=USD&txn_id=race`)),
  )
  t.equal(responses.filter((r) => r.statusCode === 200).length, 1)
  t.equal(responses.filter((r) => r.statusCode === 409).length, 19)
  const [row] = await sql`select amount::int from conversions`
  t.equal(responses[row!.amount - 1]!.statusCode, 200, 'the stored amount is the one acknowledged')
})
