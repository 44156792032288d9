import Fastify from 'fastify'
import t from 'tap'
import createError from '@fastify/error'
import { type OnError, badParameter, defineError, installErrorHandling } from '../src/errors.ts'
import { redactUrl, serverOptions } from '../src/logger.ts'
import { createMetrics, ops } from '../src/ops.ts'

const Teapot = defineError('teapot_busy', 'The teapot is busy', 418)
const Broken = createError('ERR_SOMETHING', 'secret internal detail', 500)
const Refused = defineError('bad_window', '%s', 400)
const Outage = defineError('unavailable', 'Storage is unavailable', 503)

async function build(
  t: { teardown(fn: () => unknown): void },
  ready: () => Promise<unknown> = async () => {},
  logs?: string[],
  onError?: OnError,
  readyTimeoutMs?: number,
) {
  const app = Fastify(serverOptions(logs ? 'info' : 'silent', logs && { write: (line: string) => logs.push(line) }))
  installErrorHandling(app, onError)
  await app.register(ops, { metrics: createMetrics('test'), ready, readyTimeoutMs })
  app.get('/items/:id', { schema: { params: { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]+$' } } } } }, async () => ({ ok: true }))
  app.get('/teapot', async () => {
    throw new Teapot()
  })
  app.get('/refused', async () => {
    throw Object.assign(new Refused('from must be before to'), { parameter: 'from' })
  })
  app.get('/percent', async () => {
    throw badParameter('sub1', 'has invalid percent-encoding')
  })
  app.get('/broken', async () => {
    throw new Broken()
  })
  app.get('/outage', async () => {
    throw new Outage()
  })
  t.teardown(() => app.close())
  return app
}

t.test('a schema violation is a 400 bad_parameter naming the parameter', async (t) => {
  const app = await build(t)
  const res = await app.inject('/items/0x1')
  t.equal(res.statusCode, 400)
  t.match(res.json(), { status: 'error', code: 'bad_parameter', parameter: 'id', message: /^id must match pattern/ })
})

t.test('badParameter answers the same shape as a schema violation', async (t) => {
  const app = await build(t)
  const thrown = await app.inject('/percent')
  t.equal(thrown.statusCode, 400)
  t.equal(
    thrown.body,
    '{"status":"error","code":"bad_parameter","message":"sub1 has invalid percent-encoding","parameter":"sub1"}',
  )
  const violation = await app.inject('/items/0x1')
  t.equal(
    violation.body,
    '{"status":"error","code":"bad_parameter","message":"id must match pattern \\"^[0-9]+$\\"","parameter":"id"}',
  )
})

t.test('onError is told the code and status of every error answer, and of nothing else', async (t) => {
  const seen: string[] = []
  const notReady = async () => {
    throw new Error('connection refused')
  }
  const app = await build(t, notReady, undefined, (code, status, request) =>
    seen.push(`${request.routeOptions.url ?? 'unmatched'} ${status} ${code}`),
  )
  const urls = ['/items/1', '/healthz', '/items/0x1', '/percent', '/teapot', '/broken', '/outage', '/readyz', '/nope']
  for (const url of urls) await app.inject(url)
  t.same(seen, [
    '/items/:id 400 bad_parameter',
    '/percent 400 bad_parameter',
    '/teapot 418 teapot_busy',
    '/broken 500 internal_error',
    '/outage 503 unavailable',
    '/readyz 503 not_ready',
    'unmatched 404 not_found',
  ])
})

t.test('our errors keep their code and message', async (t) => {
  const res = await (await build(t)).inject('/teapot')
  t.equal(res.statusCode, 418)
  t.same(res.json(), { status: 'error', code: 'teapot_busy', message: 'The teapot is busy' })
})

t.test('an error of ours may name the parameter it refuses', async (t) => {
  const res = await (await build(t)).inject('/refused')
  t.equal(res.statusCode, 400)
  t.same(res.json(), { status: 'error', code: 'bad_window', message: 'from must be before to', parameter: 'from' })
})

t.test('an unexpected 5xx hides its details', async (t) => {
  const res = await (await build(t)).inject('/broken')
  t.equal(res.statusCode, 500)
  t.same(res.json(), { status: 'error', code: 'internal_error', message: 'Internal server error' })
})

t.test('a declared 5xx is answered without a log line; an unexpected one is logged with its cause', async (t) => {
  // An outage's cause is logged once where it is found (a failed batch), not per refused request.
  const logs: string[] = []
  const app = await build(t, undefined, logs)
  const outage = await app.inject('/outage')
  t.equal(outage.statusCode, 503)
  t.same(outage.json(), { status: 'error', code: 'unavailable', message: 'Storage is unavailable' })
  t.same(logs, [])
  await app.inject('/broken')
  t.equal(logs.length, 1)
  t.match(JSON.parse(logs[0]!), { level: 50, msg: 'request failed', err: { message: 'secret internal detail' } })
})

t.test('an unknown route is a 404 in the same shape, without the query string', async (t) => {
  const res = await (await build(t)).inject('/nope?token=abc')
  t.equal(res.statusCode, 404)
  t.same(res.json(), { status: 'error', code: 'not_found', message: 'Route GET /nope not found' })
})

t.test('readyz is 503 when the readiness check fails', async (t) => {
  const app = await build(t, async () => {
    throw new Error('connection refused')
  })
  const res = await app.inject('/readyz')
  t.equal(res.statusCode, 503)
  t.same(res.json(), { status: 'error', code: 'not_ready', message: 'Database unreachable' })
  t.equal((await app.inject('/healthz')).statusCode, 200)
})

t.test('readyz answers 503 not_ready within its timeout when the check never answers (a stalled database)', async (t) => {
  let probes = 0
  const stalled = () => {
    probes++
    return new Promise(() => {})
  }
  const app = await build(t, stalled, undefined, undefined, 50)
  const answers = await Promise.all([app.inject('/readyz'), app.inject('/readyz'), app.inject('/readyz')])
  for (const res of answers) {
    t.equal(res.statusCode, 503)
    t.same(res.json(), { status: 'error', code: 'not_ready', message: 'Database unreachable' })
  }
  t.equal(probes, 1, 'one probe in flight at a time, however many /readyz wait')
})

t.test('readyz gives up a probe older than its timeout: one stuck on a dead connection does not keep it 503', async (t) => {
  let stuck = true
  let probes = 0
  const check = () => {
    probes++
    return stuck ? new Promise(() => {}) : Promise.resolve()
  }
  const app = await build(t, check, undefined, undefined, 50)
  t.equal((await app.inject('/readyz')).statusCode, 503)
  stuck = false
  // Past the timeout for sure: timers may fire a millisecond before performance.now() says so.
  await new Promise((resolve) => setTimeout(resolve, 10))
  t.equal((await app.inject('/readyz')).statusCode, 200, 'the database answers again, and so does /readyz')
  t.equal(probes, 2, 'with a new probe')
})

t.test('every 503 carries Retry-After', async (t) => {
  const app = await build(t)
  t.equal((await app.inject('/outage')).headers['retry-after'], '1')
  t.equal((await app.inject('/teapot')).headers['retry-after'], undefined, 'and only a 503')
})

t.test('metrics count requests by route pattern, never by raw URL', async (t) => {
  const app = await build(t)
  await app.inject('/items/1')
  await app.inject('/items/2')
  const text = (await app.inject('/metrics')).body
  t.match(text, /http_requests_total\{method="GET",route="\/items\/:id",status_code="200",service="test"\} 2/)
  t.notMatch(text, /items\/1/)
})

t.test('a request id is echoed when sane and minted otherwise', async (t) => {
  const app = await build(t)
  t.equal((await app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } })).headers['x-request-id'], 'abc-123')
  const minted = (await app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\u0000' } })).headers['x-request-id']
  t.match(minted, /^[0-9a-f-]{36}$/)
})

t.test('secret query parameters are redacted from logged URLs', async (t) => {
  t.equal(redactUrl('/postback?click_id=a&token=s3cret&amount=1'), '/postback?click_id=a&token=[redacted]&amount=1')
  t.equal(redactUrl('/x?TOKEN=a'), '/x?TOKEN=[redacted]')
})
