// The one way the dashboard reads the reporting API. A non-OK answer throws an ApiError
// carrying the API's {status, code, message}; an unreachable API is an ApiError too,
// so every component has one kind of error to show.
import type { ErrorBody } from '@affiliate/contracts'
import { readApiKey } from './auth.ts'

export class ApiError extends Error {
  override name = 'ApiError'
  constructor(
    /** HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }

  get unreachable() {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504
  }
}

function isErrorBody(body: unknown): body is ErrorBody {
  return typeof body === 'object' && body !== null && 'code' in body && 'message' in body
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  const key = readApiKey()
  if (key) headers.authorization = `Bearer ${key}`
  let response: Response
  try {
    response = await fetch(path, { headers, signal })
  } catch (error) {
    if (signal?.aborted) throw error
    throw new ApiError(0, 'network_error', 'The dashboard server cannot be reached. Check your connection.')
  }
  const body: unknown = await response.json().catch(() => undefined)
  if (!response.ok) {
    if (isErrorBody(body)) throw new ApiError(response.status, body.code, body.message)
    throw new ApiError(response.status, 'http_error', `The reporting API answered ${response.status}.`)
  }
  return body as T
}

/** `path?a=1&b=2`, leaving out undefined values. */
export function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value))
  const text = query.toString()
  return text ? `${path}?${text}` : path
}
