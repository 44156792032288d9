// The service over real sockets: end to end, graceful shutdown of the real process, and logs.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { assertErrorAnswer, checkErrorShape, checkSlowClient, listen, sendRaw } from '@affiliate/http/testing'
import { createSql } from '@affiliate/shared/db'
import { seedDemo } from '@affiliate/shared/seed'
import { createTestDatabase } from '@affiliate/shared/testing'
import t, { type Test } from 'tap'
import { openSql } from '../src/db.ts'
import { BROWSER_UA, DEMO_TOKEN, build, endPool, fromBrowser } from './helper.ts'

t.test('end to end over a socket: click redirect, postback, metrics', async (t) => {
  const { app, sql } = await build(t)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  const base = `http://127.0.0.1:${port}`

  const click = await fetch(`${base}/click?affiliate_id=1&campaign_id=1&click_id=e2e-1&sub1=mail`, {
    redirect: 'manual',
    headers: { 'user-agent': BROWSER_UA },
  })
  t.equal(click.status, 302)
  t.equal(click.headers.get('location'), 'https://shop.example.com/summer?click_id=e2e-1&src=mail')

  const postback = await fetch(
    `${base}/postback?affiliate_id=1&click_id=e2e-1&amount=25&currency=USD&token=${DEMO_TOKEN}`,
  )
  t.equal(postback.status, 200)
  t.same(await postback.json(), { status: 'success', message: 'Conversion tracked' })

  const form = await fetch(`${base}/postback`, {
    method: 'POST',
    body: new URLSearchParams({
      affiliate_id: '1',
      click_id: 'e2e-1',
      amount: '5',
      currency: 'USD',
      txn_id: 'f',
      token: DEMO_TOKEN,
    }),
  })
  t.same(await form.json(), { status: 'success', message: 'Conversion tracked' })

  const metrics = await (await fetch(`${base}/metrics`)).text()
  t.match(metrics, /ingest_clicks_stored_total\{bot="false",service="ingest"\} 1/)
  t.match(metrics, /ingest_conversions_stored_total\{status="approved",service="ingest"\} 2/)
  t.same((await sql`select count(*)::int as n from conversions`)[0], { n: 2 })
})

/** The real service as a child process on a free port, killed if a test leaves it running. */
async function spawnServer(t: Test, url: string) {
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('../src/server.ts', import.meta.url))],
    {
      env: {
        ...process.env,
        DATABASE_URL: url,
        HOST: '127.0.0.1',
        INGEST_PORT: '0',
        LOG_LEVEL: 'info',
        CLICK_RATE_LIMIT: '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  t.teardown(() => server.kill('SIGKILL'))
  const exited = once(server, 'exit')
  let output = ''
  const port = await new Promise<number>((resolve, reject) => {
    server.stdout!.on('data', (chunk) => {
      output += chunk
      const match = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)
      if (match) resolve(Number(match[1]))
    })
    server.on('exit', () => reject(new Error(`server exited early:\n${output}`)))
  })
  return { server, port, exited, output: () => output }
}

t.test('SIGTERM: the process stops accepting, finishes in-flight writes, exits 0', async (t) => {
  const url = await createTestDatabase(t)
  const sql = openSql(url)
  t.teardown(() => endPool(sql))
  await seedDemo(sql)
  const { server, port, exited, output } = await spawnServer(t, url)

  // Many clicks in flight; SIGTERM as soon as the first is answered.
  let signalled = false
  const results = await Promise.all(
    Array.from({ length: 150 }, (_, i) =>
      fetch(`http://127.0.0.1:${port}/click?affiliate_id=1&campaign_id=1&click_id=sd-${i}`, { redirect: 'manual' })
        .then((res) => {
          if (!signalled) {
            signalled = true
            server.kill('SIGTERM')
          }
          return { id: `sd-${i}`, status: res.status }
        })
        .catch(() => ({ id: `sd-${i}`, status: 0 })),
    ),
  )
  const [code, signal] = await exited
  t.equal(code, 0, 'exit code 0')
  t.equal(signal, null)

  const acknowledged = results.filter((r) => r.status === 302).map((r) => r.id)
  t.ok(acknowledged.length > 0)
  t.same(
    results.filter((r) => ![302, 503, 0].includes(r.status)),
    [],
    'every request was stored and redirected, refused while closing, or not accepted',
  )
  const stored = new Set((await sql`select click_id from clicks`).map((r) => r.click_id))
  t.same(
    acknowledged.filter((id) => !stored.has(id)),
    [],
    'every acknowledged click is stored',
  )
  t.match(output(), /"msg":"closing"/)
})

t.test('SIGTERM right after its connections were terminated mid-query exits 0 at once', async (t) => {
  const url = await createTestDatabase(t)
  // Not named 'ingest': its sessions are not among those terminated.
  const sql = createSql(url, { name: 'test' })
  t.teardown(() => endPool(sql))
  await seedDemo(sql)
  const { server, port, exited } = await spawnServer(t, url)
  const base = `http://127.0.0.1:${port}`
  const before = await fetch(`${base}/click?affiliate_id=1&campaign_id=1&click_id=before`, { redirect: 'manual' })
  t.equal(before.status, 302)

  // A click whose write waits on a lock is a query in flight when its backend is terminated.
  const lock = await sql.reserve()
  t.teardown(() => lock.release())
  await lock`begin`
  await lock`lock table clicks in access exclusive mode`
  const click = fetch(`${base}/click?affiliate_id=1&campaign_id=1&click_id=cut`, { redirect: 'manual' })
  await until(async () => {
    const waiting = await sql`
      select 1 from pg_stat_activity where application_name = 'ingest' and wait_event_type = 'Lock'`
    return waiting.length > 0
  })
  const terminated = await sql`
    select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'ingest'`
  t.ok(terminated.length > 0, `${terminated.length} connections terminated`)
  await lock`rollback`
  t.equal((await click).status, 503, 'the click whose connection was cut is not acknowledged')

  const started = performance.now()
  server.kill('SIGTERM')
  const [code] = await exited
  const seconds = (performance.now() - started) / 1000
  t.comment(`exited ${seconds.toFixed(2)} s after SIGTERM`)
  t.equal(code, 0, 'exit code 0')
  // Generous for a loaded machine: the bug it guards against took the pool's 5 s end() timeout.
  t.ok(seconds < 4, `exited within 4 s (${seconds.toFixed(2)} s)`)
})

async function until(check: () => Promise<boolean>) {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20))
}

t.test('what Node refuses before a route, a missing Host and a 404 are answered in the shape', async (t) => {
  const { app } = await build(t)
  await checkErrorShape(t, app)
})

t.test('a client that never finishes its headers or its postback body is cut off with 408', async (t) => {
  const { app, sql } = await build(t, { REQUEST_TIMEOUT_MS: '300' })
  const port = await listen(app)
  await checkSlowClient(t, port, '/click?affiliate_id=1&campaign_id=1&click_id=slow')
  const body = 'affiliate_id=1&click_id=slow&amount=1&currency=USD&token=demo'
  const partial = await sendRaw(
    port,
    `POST /postback HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length + 10}\r\n\r\n${body}`,
  )
  assertErrorAnswer(t, partial, { status: 408, code: 'request_timeout' })
  t.same(await sql`select 1 from clicks union all select 1 from conversions`, [], 'nothing stored')
})

t.test('tokens never reach the logs', async (t) => {
  const secret = 'very-secret-token-123'
  const { app, sql, logs } = await build(t, {}, { captureLogs: true })
  await sql`update campaigns set postback_token = ${secret} where id = 1`
  await sql`alter table conversions add constraint test_poison check (txn_id <> 'poison')`
  await app.inject(fromBrowser('/click?affiliate_id=1&campaign_id=1&click_id=log-1'))
  const requests = [
    `/postback?affiliate_id=1&click_id=log-1&amount=1&currency=USD&token=${secret}`,
    `/postback?affiliate_id=1&click_id=log-1&amount=1&currency=USD&txn_id=poison&token=${secret}`,
    `/postback?affiliate_id=1&click_id=log-1&amount=1&currency=USD&token=${secret}x`,
    `/postback?affiliate_id=x&click_id=log-1&amount=1&currency=USD&token=${secret}`,
    `/nowhere?token=${secret}`,
  ]
  const statuses = []
  for (const url of requests) statuses.push((await app.inject(url)).statusCode)
  statuses.push(
    (
      await app.inject({
        method: 'POST',
        url: '/postback',
        payload: {
          affiliate_id: '1',
          click_id: 'log-1',
          amount: '2',
          currency: 'USD',
          txn_id: 'poison',
          token: secret,
        },
      })
    ).statusCode,
  )
  t.same(statuses, [200, 500, 401, 400, 404, 500])
  t.ok(
    logs.some((line) => line.includes('"level":50')),
    'the 500s were logged',
  )
  t.ok(
    logs.some((line) => line.includes('token=[redacted]')),
    'request URLs are logged, redacted',
  )
  t.same(
    logs.filter((line) => line.includes(secret)),
    [],
  )
  const [row] = await sql`select raw_request from conversions`
  t.equal(row!.raw_request.params.token, '[redacted]', 'nor the database')
})
