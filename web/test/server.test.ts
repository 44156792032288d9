// The dashboard's server on its own: a dist folder written by the test, a real upstream
// HTTP server standing in for "whatever REPORTING_URL points at" (the proxy is what is tested).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { checkErrorShape, checkSlowClient, listen } from '@affiliate/http/testing'
import Fastify from 'fastify'
import t, { type Test } from 'tap'
import { type WebOptions, build } from '../server/app.ts'

async function fixture(
  t: Test,
  reportingUrl: string,
  limits: Pick<WebOptions, 'proxyTimeoutMs' | 'requestTimeoutMs'> = {},
) {
  const distDir = await mkdtemp(join(tmpdir(), 'web-dist-'))
  await mkdir(join(distDir, 'assets'))
  await writeFile(join(distDir, 'index.html'), '<!doctype html><title>Affiliate dashboard</title>')
  await writeFile(join(distDir, 'assets', 'index-AbC123.js'), 'console.log(1)')
  const app = await build({ distDir, reportingUrl, logLevel: 'silent', ...limits })
  t.teardown(async () => {
    await app.close()
    await rm(distDir, { recursive: true, force: true })
  })
  return app
}

// Port 9 (discard) on localhost: nothing listens there, connections are refused.
const NOWHERE = 'http://127.0.0.1:9'

t.test('GET / serves index.html, revalidated on every load', async (t) => {
  const app = await fixture(t, NOWHERE)
  const res = await app.inject({ url: '/' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/html/)
  t.equal(res.headers['cache-control'], 'no-cache')
  t.match(res.body, /Affiliate dashboard/)
})

t.test('hashed assets are cached for a year', async (t) => {
  const app = await fixture(t, NOWHERE)
  const res = await app.inject({ url: '/assets/index-AbC123.js' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable')
})

t.test('a deep link of the SPA gets index.html; other unknown paths a JSON 404', async (t) => {
  const app = await fixture(t, NOWHERE)
  const page = await app.inject({ url: '/reports?range=7d', headers: { accept: 'text/html,*/*' } })
  t.equal(page.statusCode, 200)
  t.match(page.body, /Affiliate dashboard/)
  const missingAsset = await app.inject({ url: '/assets/gone-123.js', headers: { accept: 'text/html,*/*' } })
  t.equal(missingAsset.statusCode, 404)
  const api = await app.inject({ url: '/nothing', headers: { accept: 'application/json' } })
  t.equal(api.statusCode, 404)
  t.same(api.json(), { status: 'error', code: 'not_found', message: 'Route GET /nothing not found' })
})

t.test('/api is proxied to REPORTING_URL with the caller’s Authorization header', async (t) => {
  const upstream = Fastify()
  upstream.get('/api/affiliates', async (request) => ({ items: [], seen: request.headers.authorization ?? null }))
  upstream.get('/openapi.json', async () => ({ openapi: '3.1.0' }))
  await upstream.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => upstream.close())
  const address = upstream.server.address()
  const app = await fixture(t, `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`)

  const res = await app.inject({ url: '/api/affiliates', headers: { authorization: 'Bearer k1' } })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { items: [], seen: 'Bearer k1' })
  t.equal((await app.inject({ url: '/openapi.json' })).json().openapi, '3.1.0')
})

t.test('an unreachable reporting service is a 503 JSON error, not a hang or a 500', async (t) => {
  const app = await fixture(t, NOWHERE)
  const res = await app.inject({ url: '/api/affiliates' })
  t.equal(res.statusCode, 503)
  t.same(res.json(), { status: 'error', code: 'reporting_unavailable', message: 'The reporting API is unavailable' })
})

t.test('a reporting service that accepts and never answers is a 504 reporting_timeout, not a hang', async (t) => {
  // Stands in for a stuck reporting process: it takes the connection and says nothing.
  const stuck = createServer(() => {})
  await new Promise<void>((resolve) => stuck.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    stuck.close()
    stuck.unref()
  })
  const { port } = stuck.address() as { port: number }
  const app = await fixture(t, `http://127.0.0.1:${port}`, { proxyTimeoutMs: 200 })
  const res = await app.inject({ url: '/api/affiliates' })
  t.equal(res.statusCode, 504)
  t.same(res.json(), {
    status: 'error',
    code: 'reporting_timeout',
    message: 'The reporting API did not answer in time',
  })
})

t.test('what Node refuses before a route, a missing Host and a 404 are answered in the shape', async (t) => {
  await checkErrorShape(t, await fixture(t, NOWHERE))
})

t.test('a client that never finishes its request is cut off with 408 request_timeout', async (t) => {
  await checkSlowClient(t, await listen(await fixture(t, NOWHERE, { requestTimeoutMs: 300 })))
})

t.test('/healthz answers; /readyz fails without a build', async (t) => {
  const app = await fixture(t, NOWHERE)
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200)
  t.equal((await app.inject({ url: '/readyz' })).statusCode, 200)
  const empty = await build({ distDir: join(tmpdir(), 'no-such-dist-dir'), reportingUrl: NOWHERE, logLevel: 'silent' })
  t.teardown(() => empty.close())
  t.equal((await empty.inject({ url: '/readyz' })).statusCode, 503)
})
