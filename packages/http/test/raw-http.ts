// Requests written byte for byte to a real listening server (node:net), for what only Node's
// HTTP parser sees: oversized headers, malformed request lines and headers, a missing Host, a
// client that never finishes. Each service's tests run checkErrorShape on its own built app.
import { connect } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'

export interface RawAnswer {
  statusLine: string
  status: number
  headers: Record<string, string>
  body: string
  /** The server ended the connection cleanly (FIN), not with a reset. */
  closedCleanly: boolean
}

/** Writes `bytes`, then reads until the server closes the connection (or `timeoutMs`). */
export function sendRaw(port: number, bytes: string | Buffer, timeoutMs = 15_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let reset = false
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`the server kept the connection open for ${timeoutMs} ms`))
    }, timeoutMs)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', () => (reset = true))
    // Our side stays open until the server has ended its own: a half-closed client must still be answered.
    socket.on('end', () => socket.end())
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(parse(Buffer.concat(chunks).toString('latin1'), !reset))
    })
    socket.write(bytes)
  })
}

function parse(text: string, closedCleanly: boolean): RawAnswer {
  const split = text.indexOf('\r\n\r\n')
  const [statusLine = '', ...lines] = (split === -1 ? text : text.slice(0, split)).split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const body = split === -1 ? '' : text.slice(split + 4)
  return { statusLine, status: Number(statusLine.split(' ')[1]), headers, body, closedCleanly }
}

export interface ErrorCase {
  name: string
  request: string | Buffer
  status: number
  code: string
  /** HEAD: the answer has its headers and no body. */
  head?: boolean
}

const LONG = 'a'.repeat(17 * 1024)

/** Every request Node's parser (or a missing Host) refuses, and Fastify's own 404, on any server. */
export const ERROR_CASES: ErrorCase[] = [
  {
    name: 'a 17 kB sub1 in the URL',
    request: `GET /click?sub1=${LONG} HTTP/1.1\r\nHost: x\r\n\r\n`,
    status: 431,
    code: 'headers_too_large',
  },
  {
    name: 'HEAD with a 17 kB URL',
    request: `HEAD /click?sub1=${LONG} HTTP/1.1\r\nHost: x\r\n\r\n`,
    status: 431,
    code: 'headers_too_large',
    head: true,
  },
  {
    name: 'a 17 kB header',
    request: `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${LONG}\r\n\r\n`,
    status: 431,
    code: 'headers_too_large',
  },
  { name: 'an unknown method', request: 'FOO / HTTP/1.1\r\nHost: x\r\n\r\n', status: 405, code: 'method_not_allowed' },
  { name: 'a bad HTTP version', request: 'GET / HTTP/9.9\r\nHost: x\r\n\r\n', status: 400, code: 'bad_request' },
  { name: 'not HTTP at all', request: 'GET / HTTX/1.1\r\nHost: x\r\n\r\n', status: 400, code: 'bad_request' },
  { name: 'a bare CR', request: 'GET / HTTP/1.1\rHost: x\r\n\r\n', status: 400, code: 'bad_request' },
  {
    name: 'two Content-Length headers',
    request: 'POST /postback HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'Transfer-Encoding with Content-Length',
    request: 'POST /postback HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'a NUL byte in a header',
    request: 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n',
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'an obs-folded header',
    request: 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n',
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'a raw non-ASCII target',
    request: Buffer.from('GET /click?sub1=\u00e9\u20ac HTTP/1.1\r\nHost: x\r\n\r\n', 'utf8'),
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'a path that is not valid percent-encoding',
    request: 'GET /%ff?token=s3cret HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    status: 400,
    code: 'bad_request',
  },
  { name: 'no Host header', request: 'GET /healthz HTTP/1.1\r\n\r\n', status: 400, code: 'bad_request' },
  {
    name: 'HEAD without a Host header',
    request: 'HEAD /healthz HTTP/1.1\r\n\r\n',
    status: 400,
    code: 'bad_request',
    head: true,
  },
  {
    name: "Fastify's own 404",
    request: 'GET /no/such/route HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nConnection: close\r\n\r\n',
    status: 404,
    code: 'not_found',
  },
  {
    name: 'HEAD of an unknown route',
    request: 'HEAD /no/such/route HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    status: 404,
    code: 'not_found',
    head: true,
  },
]

/** Asserts the status line, JSON content type, exact body shape and a clean close. */
export function assertErrorAnswer(
  t: Test,
  answer: RawAnswer,
  { status, code, head }: Omit<ErrorCase, 'name' | 'request'>,
) {
  t.match(answer.statusLine, new RegExp(`^HTTP/1\\.1 ${status} [A-Z]`), 'status line')
  t.equal(answer.headers['content-type'], 'application/json; charset=utf-8', 'JSON')
  t.equal(answer.headers.connection?.toLowerCase(), 'close', 'connection: close')
  t.ok(answer.closedCleanly, 'the server closed the connection without a reset')
  if (head) {
    t.equal(answer.body, '', 'a HEAD answer has no body')
    return
  }
  t.equal(Buffer.byteLength(answer.body, 'latin1'), Number(answer.headers['content-length']), 'content-length')
  const body = JSON.parse(answer.body) as Record<string, unknown>
  t.same(Object.keys(body), ['status', 'code', 'message'], 'exactly status, code, message')
  t.same({ status: body.status, code: body.code }, { status: 'error', code })
  t.match(body.message, /^\S.*\S$/, 'a sentence')
  t.notMatch(answer.body, /s3cret/, 'nothing of the request echoed')
}

/** Listens `app` on a free loopback port (closed with the app) and returns the port. */
export async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  return (app.server.address() as { port: number }).port
}

/** Runs every ERROR_CASES request, and a service's own `more`, against `app`, listening, as subtests of `t`. */
export async function checkErrorShape(t: Test, app: FastifyInstance, more: ErrorCase[] = []) {
  const port = await listen(app)
  for (const errorCase of [...ERROR_CASES, ...more]) {
    await t.test(errorCase.name, async (t) => assertErrorAnswer(t, await sendRaw(port, errorCase.request), errorCase))
  }
}

/** A client that sends half its headers and then nothing: cut off with a 408 in the shape. */
export async function checkSlowClient(t: Test, port: number, path = '/healthz') {
  const answer = await sendRaw(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nX-Slow: `)
  assertErrorAnswer(t, answer, { status: 408, code: 'request_timeout' })
}
