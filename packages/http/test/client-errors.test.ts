// What Node's HTTP layer refuses before a route runs is answered in the one error shape too,
// over a real socket, and the connection is closed cleanly.
import Fastify from 'fastify'
import t from 'tap'
import { installErrorHandling } from '../src/errors.ts'
import { serverOptions } from '../src/logger.ts'
import { createMetrics, ops } from '../src/ops.ts'
import { assertErrorAnswer, checkErrorShape, checkSlowClient, listen, sendRaw } from './raw-http.ts'

async function build(t: { teardown(fn: () => unknown): void }, requestTimeoutMs?: number) {
  const app = Fastify(serverOptions('silent', undefined, { requestTimeoutMs }))
  installErrorHandling(app)
  await app.register(ops, { metrics: createMetrics('test'), ready: async () => {} })
  app.post('/echo', async (request) => ({ got: request.body }))
  t.teardown(() => app.close())
  return app
}

t.test('every request the parser refuses, a missing Host and a 404 are answered in the shape', async (t) => {
  await checkErrorShape(t, await build(t))
})

t.test('a request that is answered in the shape leaves the server serving', async (t) => {
  const port = await listen(await build(t))
  await sendRaw(port, 'FOO / HTTP/1.1\r\nHost: x\r\n\r\n')
  const ok = await sendRaw(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  t.equal(ok.status, 200)
  t.same(JSON.parse(ok.body), { status: 'ok' })
})

t.test('HTTP/1.0 needs no Host header', async (t) => {
  const port = await listen(await build(t))
  const ok = await sendRaw(port, 'GET /healthz HTTP/1.0\r\n\r\n')
  t.equal(ok.status, 200)
})

t.test('a client still sending a refused request gets the whole answer and a clean close', async (t) => {
  const port = await listen(await build(t))
  // Far more than the parser reads before it refuses: the server reads and drops the rest.
  const answer = await sendRaw(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(200 * 1024)}\r\n\r\n`)
  assertErrorAnswer(t, answer, { status: 431, code: 'headers_too_large' })
})

t.test('a client whose headers never finish is cut off with 408 request_timeout', async (t) => {
  const port = await listen(await build(t, 300))
  await checkSlowClient(t, port)
})

t.test('a client whose body never finishes is cut off with 408 request_timeout', async (t) => {
  const port = await listen(await build(t, 300))
  const answer = await sendRaw(
    port,
    'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":',
  )
  assertErrorAnswer(t, answer, { status: 408, code: 'request_timeout' })
})
