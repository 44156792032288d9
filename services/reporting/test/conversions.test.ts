import t from 'tap'
import { build, insertConversion } from './helper.ts'

t.test('pagination has no gaps or repeats while new conversions arrive', async (t) => {
  const { app, sql } = await build(t)
  await sql`insert into affiliates (id, name) values (1, 'A'), (2, 'B')`
  await sql`insert into campaigns (id, name, landing_url, postback_token) values (1, 'C', 'https://x.example/', 'token-123456')`
  await sql`insert into clicks (click_id, affiliate_id, campaign_id, "timestamp")
    select 'k' || g, 1 + (g % 5 = 0)::int, 1, '2026-11-01T00:00:00Z'::timestamptz + g * interval '1 minute'
    from generate_series(1, 60) g`
  // Pairs share a timestamp (ties are broken by id); neighbouring pairs differ by a microsecond.
  for (let i = 1; i <= 60; i++) {
    const at = `2026-11-01T12:${String(Math.floor(i / 4)).padStart(2, '0')}:00.${String(Math.floor(i / 2) % 2).padStart(6, '0')}Z`
    await insertConversion(sql, {
      clickId: `k${i}`,
      txnId: '',
      amount: '1',
      currency: 'USD',
      status: 'approved',
      timestamp: at,
    })
  }
  const expected = (
    await sql`select id from conversions where affiliate_id = 1 order by "timestamp" desc, id desc`
  ).map((r) => Number(r.id))
  t.equal(expected.length, 48)

  const seen: number[] = []
  let cursor: string | null = null
  let pages = 0
  let arrived = 0
  do {
    const query: string = `from=2026-11-01&to=2026-11-02&limit=7${cursor ? `&cursor=${cursor}` : ''}`
    const res = await app.inject(`/api/affiliates/1/conversions?${query}`)
    t.equal(res.statusCode, 200)
    const body = res.json()
    seen.push(...body.items.map((c: { id: number }) => c.id))
    cursor = body.next_cursor
    pages++
    // New conversions arrive between pages: newer ones, and one tied with the page's last row.
    const last = body.items.at(-1)
    await insertConversion(sql, {
      clickId: `k${pages}`,
      txnId: `late-${pages}`,
      amount: '2',
      currency: 'EUR',
      status: 'pending',
      timestamp: '2026-11-01T23:00:00Z',
    })
    if (last)
      await insertConversion(sql, {
        clickId: `k${pages}`,
        txnId: `tie-${pages}`,
        amount: '3',
        currency: 'EUR',
        status: 'approved',
        timestamp: last.timestamp,
      })
    arrived += last ? 2 : 1
  } while (cursor !== null)
  t.same(seen, expected, 'every conversion present at the start, once, newest first')
  t.equal(pages, 7)
  t.ok(arrived > 0)
})

t.test('conversions list amounts, statuses and microsecond timestamps, and filter by status', async (t) => {
  const { app, sql } = await build(t)
  await sql`insert into affiliates (id, name) values (1, 'A')`
  await sql`insert into campaigns (id, name, landing_url, postback_token) values (4, 'C', 'https://x.example/', 'token-123456')`
  await sql`insert into clicks (click_id, affiliate_id, campaign_id, "timestamp") values ('a', 1, 4, '2026-11-01T00:00:00Z')`
  await insertConversion(sql, {
    clickId: 'a',
    txnId: 't1',
    amount: '12.5',
    currency: 'GBP',
    status: 'pending',
    timestamp: '2026-11-01T01:02:03.456789Z',
  })
  await insertConversion(sql, {
    clickId: 'a',
    txnId: 't2',
    amount: '1',
    currency: 'USD',
    status: 'rejected',
    timestamp: '2026-11-01T02:00:00Z',
  })
  const body = (await app.inject('/api/affiliates/1/conversions?from=2026-11-01&to=2026-11-02')).json()
  t.match(body.items, [
    { txn_id: 't2', status: 'rejected', amount: '1.0000', currency: 'USD', campaign_id: 4, click_id: 'a' },
    { txn_id: 't1', status: 'pending', amount: '12.5000', currency: 'GBP', timestamp: '2026-11-01T01:02:03.456789Z' },
  ])
  t.equal(body.next_cursor, null)
  const pending = (
    await app.inject('/api/affiliates/1/conversions?from=2026-11-01&to=2026-11-02&status=pending')
  ).json()
  t.same(
    pending.items.map((c: { txn_id: string }) => c.txn_id),
    ['t1'],
  )
})
