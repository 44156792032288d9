// fast-querystring (Fastify's own parser) keeps a value with invalid percent-encoding
// as its raw text, which would then pass a free-text check. This parser records the
// first such parameter so that a hook can refuse the request with a 400 naming it.
import { parse } from 'fast-querystring'

export const INVALID_ENCODING = Symbol('invalidEncoding')

export type ParsedQuery = Record<string, string | string[]> & { [INVALID_ENCODING]?: string }

export function parseQueryString(input: string): ParsedQuery {
  const result = parse(input) as ParsedQuery
  if (input.includes('%')) {
    for (const pair of input.split('&')) {
      if (!pair.includes('%')) continue
      const eq = pair.indexOf('=')
      const key = eq === -1 ? pair : pair.slice(0, eq)
      const value = eq === -1 ? '' : pair.slice(eq + 1)
      if (decodes(key) && decodes(value)) continue
      result[INVALID_ENCODING] = (decodes(key) ? decodeURIComponent(key) : key)
        .replace(/[^\x20-\x7e]/g, '')
        .slice(0, 64)
      break
    }
  }
  return result
}

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text)
    return true
  } catch {
    return false
  }
}

/** The parameter with invalid percent-encoding in a parsed query string or form body, if any. */
export function invalidEncodingOf(parsed: unknown): string | undefined {
  return parsed !== null && typeof parsed === 'object' ? (parsed as ParsedQuery)[INVALID_ENCODING] : undefined
}
