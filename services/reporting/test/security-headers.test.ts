// Security headers on every answer, a page's policy for /docs only, and CORS only when asked for.
import { createHash } from 'node:crypto'
import t from 'tap'
import { inlineScriptHashes } from '../src/security-headers.ts'
import { build } from './helper.ts'

const HELMET = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'strict-transport-security': /^max-age=\d+/,
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
}

t.test('every answer carries the security headers and a CSP that allows nothing', async (t) => {
  const { app } = await build(t)
  for (const url of ['/api/affiliates', '/api/affiliates/0x1/summary', '/api/nothing', '/openapi.json', '/healthz']) {
    const res = await app.inject(url)
    t.match(res.headers, HELMET, url)
    t.equal(res.headers['content-security-policy'], "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'", url)
  }
})

t.test('/docs gets a page policy that allows exactly its own inline script', async (t) => {
  const { app } = await build(t)
  const res = await app.inject('/docs/')
  t.equal(res.statusCode, 200)
  t.match(res.headers, HELMET)
  const csp = String(res.headers['content-security-policy'])
  const inline = /<script[^>]*>([^<]+)<\/script>/.exec(res.body)![1]!
  const hash = createHash('sha256').update(inline).digest('base64')
  t.match(csp, `script-src 'self' 'sha256-${hash}'`)
  t.match(csp, "default-src 'self'")
  t.match(csp, "frame-ancestors 'none'")
  t.notMatch(csp, /unsafe-eval|script-src[^;]*unsafe-inline/)
})

t.test('inlineScriptHashes hashes the bodies of inline scripts only, line ends as a browser reads them', async (t) => {
  const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`
  const html = '<script src="a.js"></script><SCRIPT type="module">go()\r\n</SCRIPT><script> </script><script>x()</script>'
  t.same(inlineScriptHashes(html), [sha('go()\n'), sha('x()')])
})

t.test('without CORS_ORIGINS no answer allows another origin', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ url: '/api/affiliates', headers: { origin: 'https://app.example.com' } })
  t.equal(res.statusCode, 200)
  t.notOk(res.headers['access-control-allow-origin'])
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/api/affiliates',
    headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
  })
  t.notOk(preflight.headers['access-control-allow-origin'])
})

t.test('with CORS_ORIGINS exactly those origins may call the API, with an API key', async (t) => {
  const { app } = await build(t, { corsOrigins: ['https://app.example.com', 'http://localhost:8080'], authMode: 'key' })
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/api/affiliates',
    headers: {
      origin: 'https://app.example.com',
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    },
  })
  t.equal(preflight.statusCode, 204)
  t.equal(preflight.headers['access-control-allow-origin'], 'https://app.example.com')
  t.match(preflight.headers['access-control-allow-headers'], /authorization/i)
  t.notOk(preflight.headers['access-control-allow-credentials'], 'keys, never cookies')

  const allowed = await app.inject({ url: '/api/affiliates', headers: { origin: 'http://localhost:8080' } })
  t.equal(allowed.statusCode, 401, 'still needs a key')
  t.equal(allowed.headers['access-control-allow-origin'], 'http://localhost:8080')

  for (const origin of ['https://evil.example.com', 'https://app.example.com.evil.example', 'http://app.example.com']) {
    const res = await app.inject({ url: '/api/affiliates', headers: { origin } })
    t.notOk(res.headers['access-control-allow-origin'], origin)
  }
})
