// Requests only Node's HTTP parser sees (inject never does): oversized headers, bare CR,
// duplicate Content-Length, obs-fold, a missing Host, bad versions, NUL and raw non-ASCII
// bytes, unknown methods. Sent over a real socket to a listening server.
import { connect } from 'node:net'
import fc from 'fast-check'
import type { Answer } from './verdict.ts'

export interface RawCase {
  kind: string
  /** The click_id the request would store if a server took it as a valid click. */
  clickId: string
  bytes: Buffer
}

const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`

/** A raw request to `path` (a click URL for ingest) broken in one of the ways above. */
export function rawCase(path: (clickId: string) => string): fc.Arbitrary<RawCase> {
  const id = fc.stringMatching(/^[a-z0-9]{12}$/).map((s) => `raw-${s}`)
  const big = fc.integer({ min: 17_000, max: 40_000 })
  const kinds: fc.Arbitrary<[string, (target: string) => string | Buffer]>[] = [
    big.map((n) => [
      'headers_too_large: long query',
      (t) => crlf([`GET ${t}&sub1=${'a'.repeat(n)} HTTP/1.1`, 'Host: x']),
    ]),
    big.map((n) => [
      'headers_too_large: long header',
      (t) => crlf([`GET ${t} HTTP/1.1`, 'Host: x', `X-Pad: ${'b'.repeat(n)}`]),
    ]),
    fc
      .integer({ min: 400, max: 900 })
      .map((n) => [
        'headers_too_large: many headers',
        (t) =>
          crlf([`GET ${t} HTTP/1.1`, 'Host: x', ...Array.from({ length: n }, (_, i) => `X-H${i}: ${'c'.repeat(30)}`)]),
      ]),
    fc
      .constantFrom('User-Agent: a\rb', 'X-A\r: b', 'X-A: b\r', 'Host: x\r')
      .map((h) => ['bare CR in a header', (t) => crlf([`GET ${t} HTTP/1.1`, 'Host: x', h])]),
    fc.constant(['bare CR in the request line', (t) => crlf([`GET ${t}\r HTTP/1.1`, 'Host: x'])]),
    fc
      .tuple(fc.nat(20), fc.nat(20))
      .map(([a, b]) => [
        'duplicate Content-Length',
        (t) =>
          crlf([`POST ${t} HTTP/1.1`, 'Host: x', `Content-Length: ${a}`, `Content-Length: ${b}`]) +
          'x'.repeat(Math.max(a, b)),
      ]),
    fc.constant([
      'Transfer-Encoding with Content-Length',
      (t) => crlf([`POST ${t} HTTP/1.1`, 'Host: x', 'Transfer-Encoding: chunked', 'Content-Length: 3']) + '0\r\n\r\n',
    ]),
    fc
      .constantFrom(' folded', '\tfolded')
      .map((fold) => ['obs-fold', (t) => crlf([`GET ${t} HTTP/1.1`, 'Host: x', 'User-Agent: a', fold])]),
    fc.constant(['missing Host', (t) => crlf([`GET ${t} HTTP/1.1`, 'User-Agent: a'])]),
    fc
      .constantFrom('HTTP/9.9', 'HTTP/1.1x', 'HTTX/1.1', 'HTTP/1', 'HTTP/01.1', 'http/1.1')
      .map((v) => ['bad version', (t) => crlf([`GET ${t} ${v}`, 'Host: x'])]),
    fc
      .constantFrom('User-Agent: a\0b', 'X-\0: b')
      .map((h) => ['NUL in a header', (t) => crlf([`GET ${t} HTTP/1.1`, 'Host: x', h])]),
    fc.constant(['NUL in the target', (t) => crlf([`GET ${t}\0x HTTP/1.1`, 'Host: x'])]),
    fc
      .constantFrom('é', '😀', 'ÿ')
      .map((c) => [
        'raw non-ASCII target',
        (t) => Buffer.from(crlf([`GET ${t}&sub1=${c} HTTP/1.1`, 'Host: x']), 'utf8'),
      ]),
    // Bytes 0x80-0xff are obs-text, which Node's parser takes (as latin1): the request goes on.
    fc
      .constantFrom('Accept: \xff', 'User-Agent: caf\xe9', 'X-Request-Id: \x80\x81')
      .map((h) => ['obs-text in a header', (t) => crlf([`GET ${t} HTTP/1.1`, 'Host: x', 'Connection: close', h])]),
    fc
      .constantFrom('FOO', 'GETT', 'G3T', 'BREW')
      .map((m) => ['unknown method', (t) => crlf([`${m} ${t} HTTP/1.1`, 'Host: x'])]),
    fc.constant([
      'bad chunk size',
      (t) => crlf([`POST ${t} HTTP/1.1`, 'Host: x', 'Transfer-Encoding: chunked']) + 'zz\r\nabc\r\n0\r\n\r\n',
    ]),
    fc
      .constantFrom('X A: b', 'X(A): b', 'Host : x', ': nameless', 'X-A')
      .map((h) => ['invalid header line', (t) => crlf([`GET ${t} HTTP/1.1`, 'Host: x', h])]),
  ]
  return fc.tuple(id, fc.oneof(...kinds)).map(([clickId, [kind, make]]) => {
    const built = make(path(clickId))
    return { kind, clickId, bytes: typeof built === 'string' ? Buffer.from(built, 'latin1') : built }
  })
}

/** Sends `bytes` and reads one answer: status, headers and body (until Content-Length or close). */
export function sendRaw(port: number, bytes: Buffer, timeoutMs = 10_000): Promise<Answer | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let data = Buffer.alloc(0)
    const finish = () => {
      clearTimeout(timer)
      socket.destroy()
      resolve(parse(data))
    }
    const timer = setTimeout(finish, timeoutMs)
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk])
      const answer = parse(data)
      const length = Number(answer?.headers['content-length'] ?? Number.NaN)
      if (answer && Buffer.byteLength(answer.body) >= length) finish()
    })
    // The server may close while the rest of an oversized request is still being written.
    socket.on('error', finish)
    socket.on('close', finish)
    socket.write(bytes)
  })
}

function parse(data: Buffer): Answer | undefined {
  const text = data.toString('latin1')
  const end = text.indexOf('\r\n\r\n')
  if (end === -1) return undefined
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n')
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')
  if (!status) return undefined
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { statusCode: Number(status[1]), headers, body: Buffer.from(text.slice(end + 4), 'latin1').toString('utf8') }
}
