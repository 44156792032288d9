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
