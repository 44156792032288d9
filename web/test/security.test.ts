// The dashboard server's security headers, and its logs at debug level with a token in the URL.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import t, { type Test } from 'tap'
import { build, type WebOptions } from '../server/app.ts'

const SECRET = 's3cret-advertiser-token'
// Port 9 (discard) on localhost: nothing listens there, connections are refused.
const NOWHERE = 'http://127.0.0.1:9'

async function fixture(t: Test, options: Partial<WebOptions> = {}) {
  const distDir = await mkdtemp(join(tmpdir(), 'web-dist-'))
  await mkdir(join(distDir, 'assets'))
  await writeFile(join(distDir, 'index.html'), '<!doctype html><title>Affiliate dashboard</title>')
  await writeFile(join(distDir, 'assets', 'index-AbC123.js'), 'console.log(1)')
  const app = await build({ distDir, reportingUrl: NOWHERE, logLevel: 'silent', ...options })
  t.teardown(async () => {
    await app.close()
    await rm(distDir, { recursive: true, force: true })
  })
  return app
}

async function upstream(t: Test) {
  const server = Fastify()
  server.get('/api/affiliates', async (_request, reply) =>
    reply.header('content-security-policy', "default-src 'none'").send({ items: [] }),
  )
  await server.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => server.close())
  const address = server.server.address()
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
}

t.test('the page, its assets and JSON errors carry the security headers and the CSP', async (t) => {
  const app = await fixture(t)
  const requests = [
    { url: '/' },
    { url: '/reports?range=7d', headers: { accept: 'text/html' } },
    { url: '/assets/index-AbC123.js' },
    { url: '/nothing' },
  ]
  for (const request of requests) {
    const res = await app.inject(request)
    t.match(
      res.headers,
      {
        'content-security-policy': /^default-src 'self';.*script-src 'self';script-src-attr 'none';style-src 'self'$/,
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'same-origin',
        'strict-transport-security': /^max-age=\d+/,
        'cross-origin-opener-policy': 'same-origin',
      },
      request.url,
    )
    t.match(res.headers['content-security-policy'], "frame-ancestors 'none'", request.url)
  }
})

t.test('a proxied answer keeps the reporting service’s own CSP', async (t) => {
  const app = await fixture(t, { reportingUrl: await upstream(t) })
  const res = await app.inject('/api/affiliates')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-security-policy'], "default-src 'none'")
})

t.test('at debug level no log line holds a token, however its name is spelled', async (t) => {
  const logs: string[] = []
  const logStream = { write: (line: string) => logs.push(line) }
  const proxied = await fixture(t, { reportingUrl: await upstream(t), logLevel: 'debug', logStream })
  const unreachable = await fixture(t, { logLevel: 'debug', logStream })
  for (const name of ['token', '%74oken', 'token[]', 'token[0]', 'token%00']) {
    for (const app of [proxied, unreachable]) {
      for (const path of ['/api/affiliates', '/', '/nothing']) {
        await app.inject({ url: `${path}?${name}=${SECRET}`, headers: { accept: 'text/html' } })
      }
    }
  }
  t.ok(logs.some((line) => line.includes('[redacted]')), 'request URLs are logged, redacted')
  t.ok(logs.some((line) => line.includes('ECONNREFUSED')), 'the unreachable upstream is logged')
  t.same(
    logs.filter((line) => line.includes(SECRET)),
    [],
    'no line holds the token',
  )
})
