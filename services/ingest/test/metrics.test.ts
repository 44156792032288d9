import { loadTestDatabaseUrl } from '@affiliate/shared/config'
import { createSql } from '@affiliate/shared/db'
import t from 'tap'
import { DEMO_TOKEN, build, fromBrowser } from './helper.ts'

t.test('/metrics counts stored rows, duplicates, rejections by code, batch sizes and flush latency', async (t) => {
  const { app } = await build(t)
  await app.inject(fromBrowser('/click?affiliate_id=1&campaign_id=1&click_id=m1'))
  await app.inject(fromBrowser('/click?affiliate_id=1&campaign_id=1&click_id=m1'))
  await app.inject({
    url: '/click?affiliate_id=1&campaign_id=1&click_id=m2',
    headers: { 'user-agent': 'Twitterbot/1.0' },
  })
  await app.inject(`/postback?affiliate_id=1&click_id=m1&amount=3&currency=USD&status=pending&token=${DEMO_TOKEN}`)
  await app.inject(`/postback?affiliate_id=1&click_id=m1&amount=3&currency=USD&status=pending&token=${DEMO_TOKEN}`)
  await app.inject('/postback?affiliate_id=1&click_id=m1&amount=3&currency=USD&token=wrong-token')
  await app.inject('/click?affiliate_id=0x1&campaign_id=1')

  const text = (await app.inject('/metrics')).body
  const has = (line: RegExp, name: string) => t.match(text, line, name)
  has(/^ingest_clicks_stored_total\{bot="false",service="ingest"\} 1$/m, 'human clicks')
  has(/^ingest_clicks_stored_total\{bot="true",service="ingest"\} 1$/m, 'bot clicks')
  has(/^ingest_conversions_stored_total\{status="pending",service="ingest"\} 1$/m, 'conversions')
  has(/^ingest_duplicates_total\{kind="click",service="ingest"\} 1$/m, 'click replays')
  has(/^ingest_duplicates_total\{kind="conversion",service="ingest"\} 1$/m, 'conversion replays')
  has(/^ingest_rejections_total\{route="\/postback",code="invalid_token",service="ingest"\} 1$/m, 'rejections by code')
  has(/^ingest_rejections_total\{route="\/click",code="bad_parameter",service="ingest"\} 1$/m, 'rejections by code')
  has(/^ingest_batch_size_count\{service="ingest",writer="clicks"\} 3$/m, 'batch sizes')
  has(/^ingest_flush_duration_seconds_count\{service="ingest",writer="conversions"\} 2$/m, 'flush latency')
  has(
    /^http_requests_total\{method="GET",route="\/click",status_code="302",service="ingest"\} 3$/m,
    'requests by route',
  )
  t.notMatch(text, /m1|m2|127\.0\.0\.1/, 'no click_id or address in any label')
})

/** The ingest_rejections_total lines of /metrics, as "route code count". */
async function rejections(app: Awaited<ReturnType<typeof build>>['app']): Promise<string[]> {
  const text = (await app.inject('/metrics')).body
  return [...text.matchAll(/^ingest_rejections_total\{route="([^"]*)",code="([^"]*)",service="ingest"\} (\d+)$/gm)]
    .map(([, route, code, count]) => `${route} ${code} ${count}`)
    .sort()
}

t.test('rejections are counted by route and code on every path that answers an error, and only there', async (t) => {
  const { app } = await build(t)
  await app.inject(fromBrowser('/click?affiliate_id=1&campaign_id=1&click_id=r1'))
  await app.inject(fromBrowser('/click?affiliate_id=1&campaign_id=1&click_id=r1'))
  await app.inject({ method: 'HEAD', url: '/click?affiliate_id=1&campaign_id=1' })
  await app.inject(fromBrowser('/click?affiliate_id=1&campaign_id=2&click_id=r1'))
  await app.inject({ method: 'HEAD', url: '/click?affiliate_id=1&campaign_id=77' })
  await app.inject('/click?affiliate_id=1&campaign_id=1&sub1=%E0%A4%A')
  await app.inject('/postback?affiliate_id=1&click_id=r1&amount=1&currency=USD')
  await app.inject({ method: 'POST', url: '/postback', headers: { 'content-type': 'text/xml' }, payload: '<a/>' })
  await app.inject({
    method: 'POST',
    url: '/postback',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ padding: 'x'.repeat(20_000) }),
  })
  await app.inject('/clicks?token=secret')
  await app.inject('/nowhere')
  t.same(await rejections(app), [
    '/click bad_parameter 1',
    '/click click_conflict 1',
    '/click unknown_campaign 1',
    '/postback invalid_token 1',
    '/postback payload_too_large 1',
    '/postback unsupported_media_type 1',
    'unmatched not_found 2',
  ])
})

t.test("the rate limiter's 429 is counted as a rejection", async (t) => {
  const { app } = await build(t, { CLICK_RATE_LIMIT: '1' })
  for (let i = 0; i < 3; i++) await app.inject(fromBrowser(`/click?affiliate_id=1&campaign_id=1&click_id=rl-${i}`))
  t.same(await rejections(app), ['/click rate_limited 2'])
})

t.test('without a database, 503 unavailable and /readyz 503 not_ready are counted', async (t) => {
  const { app, url } = await build(t)
  const admin = createSql(loadTestDatabaseUrl(), { max: 1 })
  t.teardown(() => admin.end())
  await admin.unsafe(`drop database ${new URL(url).pathname.slice(1)} with (force)`)
  await app.inject(fromBrowser('/click?affiliate_id=1&campaign_id=1&click_id=lost'))
  await app.inject('/readyz')
  t.same(await rejections(app), ['/click unavailable 1', '/readyz not_ready 1'])
})
