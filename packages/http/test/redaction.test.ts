// A secret sent in the query string never reaches a log line or an error body, however its
// name is spelled: the query parser decodes `%74oken` to `token`, so redaction must too.
import createError from '@fastify/error'
import Fastify from 'fastify'
import t from 'tap'
import { installErrorHandling } from '../src/errors.ts'
import { isSecretName, redactUrl, serverOptions } from '../src/logger.ts'
import { createMetrics, ops } from '../src/ops.ts'

const SECRET = 's3cret-advertiser-token'
const Broken = createError('ERR_BROKEN', 'broken', 500)

// Each name the query parser reads as the token, or as an array or variant of it.
const NAMES = ['token', 'TOKEN', '%74oken', '%54%4F%4B%45%4E', 'token[]', 'token[0]', 'token[x]', 'token%00', 'to%00ken', 'token%5B%5D', 'api_key', 'access_token', 'postback_token', 'key']

async function build(t: { teardown(fn: () => unknown): void }, logs: string[]) {
  const app = Fastify(serverOptions('debug', { write: (line: string) => logs.push(line) }))
  installErrorHandling(app)
  await app.register(ops, { metrics: createMetrics('test'), ready: async () => {} })
  app.get('/ok', async (request) => ({ query: Object.keys(request.query as object) }))
  app.get('/broken', async () => {
    throw new Broken()
  })
  t.teardown(() => app.close())
  return app
}

t.test('the parser reads %74oken as token: the reason redaction decodes names', async (t) => {
  const app = await build(t, [])
  t.same((await app.inject(`/ok?%74oken=${SECRET}`)).json(), { query: ['token'] })
})

t.test('a token under any spelling of its name is redacted from every log line at debug', async (t) => {
  const logs: string[] = []
  const app = await build(t, logs)
  for (const name of NAMES) {
    for (const path of ['/ok', '/broken', '/nowhere']) {
      logs.length = 0
      await app.inject(`${path}?click_id=c1&${name}=${SECRET}&amount=1`)
      t.ok(logs.length > 0, `${path} ${name}: logged`)
      t.same(
        logs.filter((line) => line.includes(SECRET)),
        [],
        `${path} ${name}: no line holds the secret`,
      )
      const request = logs.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'request')
      t.equal(request?.req.url, `${path}?click_id=c1&${name}=[redacted]&amount=1`, `${path} ${name}: the URL, redacted`)
    }
  }
})

t.test('the upstream URL a proxy logs as `source` is redacted too', async (t) => {
  const logs: string[] = []
  const app = await build(t, logs)
  app.log.info({ source: `/api/affiliates?%74oken=${SECRET}` }, 'fetching from remote server')
  t.equal(JSON.parse(logs[0]!).source, '/api/affiliates?%74oken=[redacted]')
})

t.test('a URL the router cannot decode is a 400 in our shape that quotes no query string', async (t) => {
  const logs: string[] = []
  const app = await build(t, logs)
  for (const url of [`/%ff?token=${SECRET}`, `/ok/%ff?%74oken=${SECRET}`, `/%ff/x?a=1&token[]=${SECRET}`]) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 400, url)
    t.same(res.json(), { status: 'error', code: 'bad_request', message: 'The URL path is not valid percent-encoding' }, url)
    t.notMatch(res.body, /\?|s3cret/, `${url}: no query string in the body`)
  }
  t.same(
    logs.filter((line) => line.includes(SECRET)),
    [],
    'nor in the log',
  )
})

t.test('isSecretName reads names as the parser does; redactUrl leaves other parameters as sent', async (t) => {
  for (const name of NAMES) t.ok(isSecretName(name), name)
  t.ok(isSecretName('tok%ZZen'), 'a name that does not decode counts as secret')
  for (const name of ['click_id', 'sub1', 'amount', 'currency', 'txn_id', 'status', 'affiliate_id']) {
    t.notOk(isSecretName(name), name)
  }
  t.equal(redactUrl('/postback?click_id=a&token=x&amount=1'), '/postback?click_id=a&token=[redacted]&amount=1')
  t.equal(redactUrl('/x?%74oken=a&sub1=%74oken'), '/x?%74oken=[redacted]&sub1=%74oken')
  t.equal(redactUrl('/x?token&b=2'), '/x?token&b=2', 'a name without a value has nothing to hide')
  t.equal(redactUrl('/x'), '/x')
})
