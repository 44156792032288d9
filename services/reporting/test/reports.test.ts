// Each report's figures on the fixture of helper.ts, against expectations computed by hand.
import t, { type Test } from 'tap'
import { build, insertFixture } from './helper.ts'

const ALL = 'from=2026-11-01T00:00:00Z&to=2026-11-04T00:00:00Z'
const range = { from: '2026-11-01T00:00:00.000Z', to: '2026-11-04T00:00:00.000Z', grain: 'hour', tz: 'UTC' }
const empty = {
  clicks: 0,
  bot_clicks: 0,
  conversions: 0,
  pending_conversions: 0,
  conversion_rate: null,
  revenue: [],
  pending_revenue: [],
}

async function setup(t: Test) {
  const { app, sql } = await build(t)
  await insertFixture(sql)
  return async (url: string) => {
    const res = await app.inject(url)
    t.equal(res.statusCode, 200, url)
    return res.json()
  }
}

t.test('summary: non-bot clicks, approved and pending apart, revenue and EPC per currency', async (t) => {
  const get = await setup(t)
  t.same(await get(`/api/affiliates/1/summary?${ALL}`), {
    ...range,
    clicks: 5, // c1 c2 c3 c5 c6; c4 and c7 are bots
    bot_clicks: 2,
    conversions: 3, // two approved in USD, one in EUR; the rejected one counts nowhere
    pending_conversions: 1,
    conversion_rate: 0.6,
    revenue: [
      { currency: 'EUR', amount: '20.5000', epc: '4.1000' }, // 20.5 / 5
      { currency: 'USD', amount: '100.0001', epc: '20.0000' }, // 100.0001 / 5 = 20.00002
    ],
    pending_revenue: [{ currency: 'USD', amount: '7.2500' }],
  })
})

t.test('summary with include_bots=true folds bots into clicks and EPC', async (t) => {
  const get = await setup(t)
  const body = await get(`/api/affiliates/1/summary?${ALL}&include_bots=true`)
  t.equal(body.clicks, 7)
  t.equal(body.bot_clicks, 2)
  t.equal(body.conversion_rate, 3 / 7)
  t.same(body.revenue, [
    { currency: 'EUR', amount: '20.5000', epc: '2.9286' }, // 2.928571…
    { currency: 'USD', amount: '100.0001', epc: '14.2857' }, // 14.285728…
  ])
})

t.test('an affiliate without clicks has a null conversion rate and no revenue', async (t) => {
  const get = await setup(t)
  t.same(await get(`/api/affiliates/3/summary?${ALL}`), { ...range, ...empty })
})

t.test('conversions without clicks in the range: rate and EPC are null', async (t) => {
  const get = await setup(t)
  // 11:00–12:00: only the bot click c4; the EUR conversion and the pending one happen then.
  t.same(await get('/api/affiliates/1/summary?from=2026-11-01T11:00:00Z&to=2026-11-01T12:00:00Z'), {
    from: '2026-11-01T11:00:00.000Z',
    to: '2026-11-01T12:00:00.000Z',
    grain: 'hour',
    tz: 'UTC',
    clicks: 0,
    bot_clicks: 1,
    conversions: 1,
    pending_conversions: 1,
    conversion_rate: null,
    revenue: [{ currency: 'EUR', amount: '20.5000', epc: null }],
    pending_revenue: [{ currency: 'USD', amount: '7.2500' }],
  })
})

t.test('from is inclusive and to exclusive, at hour edges', async (t) => {
  const get = await setup(t)
  // [10:00, 11:00): c1, c2 and c3 (10:59:59.999); c4 at 11:00 is outside.
  const body = await get('/api/affiliates/1/summary?from=2026-11-01T10:00:00Z&to=2026-11-01T11:00:00Z')
  t.match(body, { clicks: 3, bot_clicks: 0, conversions: 1 })
  // [11:00, 12:00) starts with c4.
  t.match(await get('/api/affiliates/1/summary?from=2026-11-01T11:00:00Z&to=2026-11-01T12:00:00Z'), { bot_clicks: 1 })
})

t.test('from and to are widened to whole UTC hours and echoed as counted', async (t) => {
  const get = await setup(t)
  // 12:30+02:00 = 10:30Z → 10:00 (c1 at 10:05 counts); 10:45 → 11:00 (c3 counts).
  const body = await get('/api/affiliates/1/summary?from=2026-11-01T12:30:00%2B02:00&to=2026-11-01T10:45:00Z')
  t.equal(body.from, '2026-11-01T10:00:00.000Z')
  t.equal(body.to, '2026-11-01T11:00:00.000Z')
  t.equal(body.clicks, 3)
})

t.test('the default range is the last 7 days up to the end of the current hour', async (t) => {
  const get = await setup(t)
  const body = await get('/api/affiliates/1/summary')
  const to = Date.parse(body.to)
  t.equal(to % 3_600_000, 0)
  t.ok(to > Date.now() && to <= Date.now() + 3_600_000)
  t.equal(to - Date.parse(body.from), 7 * 86_400_000)
})

t.test('campaigns: figures per campaign, most clicks first, with names', async (t) => {
  const get = await setup(t)
  t.same(await get(`/api/affiliates/1/campaigns?${ALL}`), {
    ...range,
    items: [
      {
        campaign_id: 1,
        name: 'Summer Sale',
        clicks: 3,
        bot_clicks: 2,
        conversions: 3,
        pending_conversions: 1,
        conversion_rate: 1,
        revenue: [
          { currency: 'EUR', amount: '20.5000', epc: '6.8333' },
          { currency: 'USD', amount: '100.0001', epc: '33.3334' }, // 33.33336…
        ],
        pending_revenue: [{ currency: 'USD', amount: '7.2500' }],
      },
      // c5's conversion was rejected: no conversions, rate 0 (there are clicks).
      { campaign_id: 2, name: 'VPN Trial', ...empty, clicks: 2, conversion_rate: 0 },
    ],
  })
})

t.test('timeseries by hour lists every bucket, empty ones included', async (t) => {
  const get = await setup(t)
  const body = await get('/api/affiliates/1/timeseries?from=2026-11-01T10:00:00Z&to=2026-11-01T14:00:00Z&interval=hour')
  t.equal(body.interval, 'hour')
  t.same(
    bucketRows(body.items),
    [
      ['2026-11-01T10:00:00.000Z', 3, 0, 1],
      ['2026-11-01T11:00:00.000Z', 0, 1, 1],
      ['2026-11-01T12:00:00.000Z', 1, 0, 0],
      ['2026-11-01T13:00:00.000Z', 0, 0, 0],
    ],
  )
  t.same(body.items[3], { bucket: '2026-11-01T13:00:00.000Z', ...empty })
  t.same(body.items[0].revenue, [{ currency: 'USD', amount: '100.0000', epc: '33.3333' }])
})

t.test('timeseries by day starts buckets at UTC midnight and adds up to the summary', async (t) => {
  const get = await setup(t)
  const body = await get(`/api/affiliates/1/timeseries?from=2026-10-31T00:00:00Z&to=2026-11-03T06:00:00Z&interval=day`)
  t.same(
    bucketRows(body.items),
    [
      ['2026-10-31T00:00:00.000Z', 0, 0, 0],
      ['2026-11-01T00:00:00.000Z', 4, 1, 2],
      ['2026-11-02T00:00:00.000Z', 1, 0, 1],
      ['2026-11-03T00:00:00.000Z', 0, 1, 0], // a partial day: 00:00–06:00
    ],
  )
  t.same(body.items[2].revenue, [{ currency: 'USD', amount: '0.0001', epc: '0.0001' }])
})

t.test('breakdown ranks sub-id values by clicks and attributes conversions via their click', async (t) => {
  const get = await setup(t)
  const body = await get(`/api/affiliates/1/breakdown?by=sub1&${ALL}`)
  t.match(body, { ...range, by: 'sub1', campaign_id: null })
  t.same(body.items, [
    {
      value: 'fb', // c1 c2 c6; conversions of c1 (twice) and c2
      clicks: 3,
      bot_clicks: 0,
      conversions: 3,
      pending_conversions: 0,
      conversion_rate: 1,
      revenue: [
        { currency: 'EUR', amount: '20.5000', epc: '6.8333' },
        { currency: 'USD', amount: '100.0001', epc: '33.3334' },
      ],
      pending_revenue: [],
    },
    {
      value: 'google',
      ...empty,
      clicks: 1,
      bot_clicks: 1,
      conversion_rate: 0,
      pending_conversions: 1,
      pending_revenue: [{ currency: 'USD', amount: '7.2500' }],
    },
    { value: null, ...empty, clicks: 1, conversion_rate: 0 }, // c5 has no sub1; its conversion was rejected
    { value: 'tiktok', ...empty, bot_clicks: 1 },
  ])
})

t.test('breakdown by campaign and with a limit', async (t) => {
  const get = await setup(t)
  const byCampaign = await get(`/api/affiliates/1/breakdown?by=sub1&campaign_id=2&${ALL}`)
  t.same(
    byCampaign.items.map((i: { value: string | null; clicks: number }) => [i.value, i.clicks]),
    [
      ['fb', 1],
      [null, 1],
    ],
  )
  t.equal(byCampaign.campaign_id, 2)
  const top = await get(`/api/affiliates/1/breakdown?by=sub1&limit=1&${ALL}`)
  t.same(
    top.items.map((i: { value: string }) => i.value),
    ['fb'],
  )
})

t.test('affiliates lists every affiliate in demo mode', async (t) => {
  const get = await setup(t)
  t.same(await get('/api/affiliates'), {
    items: [
      { id: 1, name: 'Acme Media' },
      { id: 2, name: 'Blue Pixel' },
      { id: 3, name: 'Idle Ltd' },
    ],
  })
})

t.test('postback URLs carry the public ingest URL and explain each macro', async (t) => {
  const { app, sql } = await build(t, { publicIngestUrl: 'https://track.example.com' })
  await insertFixture(sql)
  const mine = (await app.inject('/api/affiliates/2/postback-url')).json()
  t.equal(
    mine.postback_url,
    'https://track.example.com/postback?affiliate_id=2&click_id={click_id}&amount={amount}&currency={currency}&token={token}',
  )
  t.equal(mine.click_url, 'https://track.example.com/click?affiliate_id=2&campaign_id={campaign_id}&sub1={sub1}')
  const macros = mine.macros.map((m: { macro: string }) => m.macro)
  for (const macro of ['{click_id}', '{amount}', '{currency}', '{token}', '{campaign_id}', '{sub1}'])
    t.ok(macros.includes(macro), macro)
  const campaign = (await app.inject('/api/campaigns/2/postback-url')).json()
  t.equal(campaign.token, 'token-vpn-22')
  t.equal(
    campaign.postback_url,
    'https://track.example.com/postback?affiliate_id={affiliate_id}&click_id={click_id}&amount={amount}&currency={currency}&token=token-vpn-22',
  )
  t.equal((await app.inject('/api/campaigns/9/postback-url')).json().code, 'unknown_campaign')
})

/** [bucket, clicks, bot_clicks, conversions] per timeseries bucket: the table to compare by eye. */
function bucketRows(items: { bucket: string; clicks: number; bot_clicks: number; conversions: number }[]) {
  return items.map((b) => [b.bucket, b.clicks, b.bot_clicks, b.conversions])
}
