// One HTTP request and what it tells the client: acknowledged (2xx, 302), refused (a definite
// 4xx) or unknown (5xx, reset, refused connection, timeout), and how long it took.
import http, { type IncomingHttpHeaders } from 'node:http'

export type Outcome = 'acknowledged' | 'refused' | 'unknown'

export interface Attempt {
  outcome: Outcome
  /** When it was sent and how long until the answer (or the error), in ms (performance.now()). */
  sentAt: number
  ms: number
  /** On a new connection: how long it took to establish, in ms. */
  connectMs?: number
  status?: number
  headers?: IncomingHttpHeaders
  /** The body, when short (JSON answers). */
  body?: string
  error?: string
}

export const outcomeOf = (status: number): Outcome =>
  status < 400 ? 'acknowledged' : status < 500 ? 'refused' : 'unknown'

export interface Client {
  send(path: string, options?: { method?: string; timeoutMs?: number }): Promise<Attempt>
  close(): void
}

/** A keep-alive client of `base` with at most `connections` sockets. */
export function createClient(base: string, { connections = 50, timeoutMs = 15_000 } = {}): Client {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections })
  const { hostname, port } = new URL(base)
  return {
    send: (path, options = {}) =>
      new Promise((resolve) => {
        const sentAt = performance.now()
        let connectMs: number | undefined
        const done = (attempt: Omit<Attempt, 'sentAt' | 'ms'>) =>
          resolve({
            ...attempt,
            sentAt,
            ms: performance.now() - sentAt,
            ...(connectMs === undefined ? {} : { connectMs }),
          })
        const request = http.request(
          { agent, hostname, port, path, method: options.method ?? 'GET', headers: { 'user-agent': 'faults' } },
          (response) => {
            let body = ''
            response.setEncoding('utf8')
            response.on('data', (chunk: string) => body.length < 2_048 && (body += chunk))
            response.on('end', () =>
              done({
                outcome: outcomeOf(response.statusCode!),
                status: response.statusCode!,
                headers: response.headers,
                body,
              }),
            )
            response.on('error', (error) => done({ outcome: 'unknown', error: error.message }))
          },
        )
        request.on('socket', (socket) => {
          if (socket.connecting) socket.once('connect', () => (connectMs = performance.now() - sentAt))
        })
        request.setTimeout(options.timeoutMs ?? timeoutMs, () => request.destroy(new Error('timeout')))
        request.on('error', (error) =>
          done({ outcome: 'unknown', error: (error as NodeJS.ErrnoException).code ?? error.message }),
        )
        request.end()
      }),
    close: () => agent.destroy(),
  }
}
