import t from 'tap'
import { BROWSER_UA, build, concurrently, fromBrowser } from './helper.ts'

t.test('GET /click stores the click, then redirects to the landing URL with macros filled', async (t) => {
  const { app, sql } = await build(t)
  const res = await app.inject(
    fromBrowser('/click?affiliate_id=1&campaign_id=1&click_id=abc-1&sub1=news%20letter&sub2=x'),
  )
  t.equal(res.statusCode, 302)
  t.equal(res.headers.location, 'https://shop.example.com/summer?click_id=abc-1&src=news%20letter')
  t.equal(res.headers['cache-control'], 'no-store')
  const [row] =
    await sql`select affiliate_id, campaign_id, sub1, sub2, sub3, is_bot from clicks where click_id = 'abc-1'`
  t.same(row, { affiliate_id: 1, campaign_id: 1, sub1: 'news letter', sub2: 'x', sub3: null, is_bot: false })
})

t.test('a landing URL without {click_id} gets click_id appended as a query parameter', async (t) => {
  const { app } = await build(t)
  const vpn = await app.inject('/click?affiliate_id=2&campaign_id=2&click_id=c-2')
  t.equal(vpn.headers.location, 'https://vpn.example.net/trial?click_id=c-2')
  const meals = await app.inject('/click?affiliate_id=2&campaign_id=3&click_id=c-3')
  t.equal(meals.headers.location, 'https://meals.example.org/start?ref=aff2&click_id=c-3')
})

t.test('without click_id the service mints a unique, unguessable, time-ordered one', async (t) => {
  const { app, sql } = await build(t)
  const ids: string[] = []
  for (let i = 0; i < 3; i++) {
    const res = await app.inject({
      url: '/click?affiliate_id=1&campaign_id=2',
      headers: { accept: 'application/json' },
    })
    t.equal(res.statusCode, 200)
    ids.push(res.json().click_id)
  }
  for (const id of ids) t.match(id, /^[0-9a-f]{12}[A-Za-z0-9_-]{22}$/)
  t.equal(new Set(ids).size, 3)
  t.same([...ids].sort(), ids, 'later ids sort after earlier ones')
  const n = (await sql`select count(*)::int as n from clicks where click_id = any(${ids})`)[0]!.n as number
  t.equal(n, 3)
})

t.test('Accept: application/json gets 200 with the click_id instead of the redirect', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({
    url: '/click?affiliate_id=1&campaign_id=1&click_id=json-1',
    headers: { accept: 'application/json' },
  })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'success', click_id: 'json-1' })
})

t.test('the same click again stores nothing new and answers as the first time', async (t) => {
  const { app, sql } = await build(t)
  const first = await app.inject(fromBrowser('/click?affiliate_id=1&campaign_id=1&click_id=again&sub1=first'))
  const again = await app.inject(fromBrowser('/click?affiliate_id=1&campaign_id=1&click_id=again&sub1=second'))
  t.equal(again.statusCode, 302)
  t.equal(again.headers.location, first.headers.location)
  const rows = await sql`select sub1 from clicks where click_id = 'again'`
  t.same(rows, [{ sub1: 'first' }])
  const [stats] = await sql`select clicks::int from click_stats_hourly`
  t.equal(stats!.clicks, 1, 'the replay is not counted')
})

t.test('the same click_id with another affiliate or campaign is 409 click_conflict', async (t) => {
  const { app, sql } = await build(t)
  await app.inject('/click?affiliate_id=1&campaign_id=1&click_id=mine')
  for (const url of [
    '/click?affiliate_id=2&campaign_id=1&click_id=mine',
    '/click?affiliate_id=1&campaign_id=2&click_id=mine',
  ]) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 409)
    t.equal(res.json().code, 'click_conflict')
  }
  t.same(await sql`select affiliate_id, campaign_id from clicks`, [{ affiliate_id: 1, campaign_id: 1 }])
})

t.test('unknown affiliate or campaign is 404 and stores nothing', async (t) => {
  const { app, sql } = await build(t)
  const affiliate = await app.inject('/click?affiliate_id=99&campaign_id=1')
  t.equal(affiliate.statusCode, 404)
  t.same(affiliate.json(), { status: 'error', code: 'unknown_affiliate', message: 'Unknown affiliate' })
  const campaign = await app.inject('/click?affiliate_id=1&campaign_id=99')
  t.equal(campaign.statusCode, 404)
  t.same(campaign.json(), { status: 'error', code: 'unknown_campaign', message: 'Unknown campaign' })
  t.same(await sql`select click_id from clicks`, [])
})

t.test('redirect targets never come from the request (no open redirect)', async (t) => {
  const { app } = await build(t)
  const evil = 'https://evil.example/steal'
  const res = await app.inject(
    `/click?affiliate_id=1&campaign_id=1&click_id=r1&sub1=${encodeURIComponent(evil)}` +
      `&url=${encodeURIComponent(evil)}&redirect=${encodeURIComponent(evil)}&landing_url=${encodeURIComponent(evil)}`,
  )
  t.equal(res.statusCode, 302)
  const location = new URL(res.headers.location as string)
  t.equal(location.origin, 'https://shop.example.com')
  t.equal(location.pathname, '/summer')
  t.equal(location.searchParams.get('src'), evil, 'the value is only ever an encoded parameter')
})

t.test('HEAD /click redirects but stores nothing and mints nothing', async (t) => {
  const { app, sql } = await build(t)
  const res = await app.inject({ method: 'HEAD', url: '/click?affiliate_id=1&campaign_id=1&sub1=preview' })
  t.equal(res.statusCode, 302)
  t.equal(res.headers.location, 'https://shop.example.com/summer?click_id=&src=preview')
  const given = await app.inject({ method: 'HEAD', url: '/click?affiliate_id=1&campaign_id=1&click_id=h1' })
  t.equal(given.headers.location, 'https://shop.example.com/summer?click_id=h1&src=')
  const unknown = await app.inject({ method: 'HEAD', url: '/click?affiliate_id=1&campaign_id=99' })
  t.equal(unknown.statusCode, 404)
  t.same(await sql`select click_id from clicks`, [])
  t.same(await sql`select * from click_stats_hourly`, [])
})

t.test('HEAD /postback is not a route: it cannot store a conversion', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'HEAD', url: '/postback?affiliate_id=1&click_id=x&amount=1&currency=USD' })
  t.equal(res.statusCode, 404)
})

t.test('link previews and crawlers are stored with is_bot; curl and browsers are not', async (t) => {
  const { app, sql } = await build(t)
  const agents = {
    slack: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    facebook: 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    google: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    curl: 'curl/8.5.0',
    browser: BROWSER_UA,
  }
  for (const [name, ua] of Object.entries(agents)) {
    const res = await app.inject({
      url: `/click?affiliate_id=1&campaign_id=1&click_id=${name}`,
      headers: { 'user-agent': ua },
    })
    t.equal(res.statusCode, 302)
  }
  const rows = await sql`select click_id, is_bot from clicks order by click_id`
  t.same(Object.fromEntries(rows.map((r) => [r.click_id, r.is_bot])), {
    browser: false,
    curl: false,
    facebook: true,
    google: true,
    slack: true,
  })
  const [stats] = await sql`select clicks::int, bot_clicks::int from click_stats_hourly`
  t.same(stats, { clicks: 2, bot_clicks: 3 })
})

t.test('user agent and referer are cleaned and cut, never a reason to refuse', async (t) => {
  const { app, sql } = await build(t)
  const res = await app.inject({
    url: '/click?affiliate_id=1&campaign_id=1&click_id=h-1',
    headers: { 'user-agent': `Mozilla/5.0 ${'x'.repeat(2000)}`, referer: `https://news.example/${'y'.repeat(3000)}` },
  })
  t.equal(res.statusCode, 302)
  const [row] = await sql`select length(user_agent)::int as ua, length(referer)::int as referer, ip from clicks`
  t.same(row, { ua: 512, referer: 1024, ip: '127.0.0.1' })
})

t.test('50 concurrent identical clicks store one row and all answer the same redirect', async (t) => {
  const { app, sql } = await build(t)
  const responses = await concurrently(50, () =>
    app.inject(fromBrowser('/click?affiliate_id=1&campaign_id=1&click_id=same&sub1=a')),
  )
  t.same(new Set(responses.map((r) => r.statusCode)), new Set([302]))
  t.same(
    new Set(responses.map((r) => r.headers.location)),
    new Set(['https://shop.example.com/summer?click_id=same&src=a']),
  )
  const n = (await sql`select count(*)::int as n from clicks`)[0]!.n as number
  t.equal(n, 1)
  const [stats] = await sql`select clicks::int from click_stats_hourly`
  t.equal(stats!.clicks, 1)
})

t.test('a campaign created after start works at once (the cache reads through on a miss)', async (t) => {
  const { app, sql } = await build(t)
  const [campaign] = await sql`insert into campaigns (name, landing_url, postback_token)
    values ('New', 'https://new.example.com/go/{sub2}', 'new-token-123') returning id`
  const [affiliate] = await sql`insert into affiliates (name) values ('Newcomer') returning id`
  const res = await app.inject(`/click?affiliate_id=${affiliate!.id}&campaign_id=${campaign!.id}&click_id=n1&sub2=a/b`)
  t.equal(res.statusCode, 302)
  t.equal(res.headers.location, 'https://new.example.com/go/a%2Fb?click_id=n1')
})

t.test('CLICK_RATE_LIMIT limits clicks per address per minute with a 429 in the error shape', async (t) => {
  const { app, sql } = await build(t, { CLICK_RATE_LIMIT: '2' })
  const statuses = []
  for (let i = 0; i < 3; i++)
    statuses.push((await app.inject(`/click?affiliate_id=1&campaign_id=1&click_id=rl-${i}`)).statusCode)
  t.same(statuses, [302, 302, 429])
  const limited = await app.inject('/click?affiliate_id=1&campaign_id=1&click_id=rl-x')
  t.match(limited.json(), {
    status: 'error',
    code: 'rate_limited',
    message: /^Too many requests from this address, retry in/,
  })
  t.ok(limited.headers['retry-after'])
  t.equal((await sql`select 1 from clicks`).length, 2)
  t.equal(
    (await app.inject('/postback?affiliate_id=1&click_id=rl-0&amount=1&currency=USD&token=demo-token-1')).statusCode,
    200,
    'postbacks are not limited',
  )
})
