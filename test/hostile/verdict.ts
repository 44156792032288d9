// What every answer to a hostile request must look like, whoever answered it.
export interface Answer {
  statusCode: number
  headers: Record<string, string | string[] | number | undefined>
  body: string
}

// A stack frame, a source path or a module folder: what a leaked error looks like.
const STACK = /\n\s+at \S|node_modules|file:\/\/|\/work\/|\/root\/|\.ts:\d+|\bat [\w.<>]+ \(/
const ERROR_KEYS = new Set(['status', 'code', 'message', 'parameter'])

/** Why `answer` breaks the documented error shape, if it does. */
export function shapeProblem(method: string, answer: Answer): string | undefined {
  if (method === 'HEAD') return answer.body === '' ? undefined : 'a HEAD answer with a body'
  const type = String(answer.headers['content-type'] ?? '')
  if (!type.startsWith('application/json')) return `an error of type "${type}", not JSON`
  let body: unknown
  try {
    body = JSON.parse(answer.body)
  } catch {
    return 'an error body that is not JSON'
  }
  const b = body as Record<string, unknown>
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'an error body that is not an object'
  const extra = Object.keys(b).filter((key) => !ERROR_KEYS.has(key))
  if (
    b.status !== 'error' ||
    typeof b.code !== 'string' ||
    !/^[a-z][a-z0-9_]*$/.test(b.code) ||
    typeof b.message !== 'string' ||
    b.message === '' ||
    (b.parameter !== undefined && typeof b.parameter !== 'string') ||
    extra.length > 0
  ) {
    return 'an error outside {"status":"error","code","message"[,"parameter"]}'
  }
  return undefined
}

/**
 * The rules for any service: no 5xx, errors in the documented shape, no stack trace, none of
 * `secrets` in the body.
 */
export function answerProblems(method: string, answer: Answer, secrets: readonly string[]): string[] {
  const problems: string[] = []
  if (answer.statusCode >= 500) problems.push(`a ${answer.statusCode}`)
  if (answer.statusCode >= 400) {
    const shape = shapeProblem(method, answer)
    if (shape) problems.push(shape)
    if (STACK.test(answer.body)) problems.push('a stack trace or source path in the body')
  }
  const leaked = secrets.filter((secret) => answer.body.includes(secret))
  if (leaked.length > 0) problems.push(`a secret in the body (${leaked.join(', ')})`)
  return problems
}

/** Collects violations, keeping one example (the shortest) of each kind. */
export class Findings {
  readonly byKind = new Map<string, { count: number; example: string }>()
  cases = 0
  readonly statuses = new Map<number, number>()

  record(
    kind: string,
    request: { method: string; url: string; headers?: Record<string, string> },
    answer: Answer | undefined,
    problems: string[],
  ) {
    this.cases++
    if (answer) this.statuses.set(answer.statusCode, (this.statuses.get(answer.statusCode) ?? 0) + 1)
    for (const problem of problems) {
      const key = `${kind}: ${problem}${answer ? ` (answered ${answer.statusCode})` : ''}`
      const shown = `${request.method} ${cut(request.url)}${request.headers ? ` ${headersOf(request.headers)}` : ''}`
      const example = answer ? `${shown} -> ${answer.statusCode} ${JSON.stringify(cut(answer.body))}` : shown
      const seen = this.byKind.get(key)
      if (!seen) this.byKind.set(key, { count: 1, example })
      else {
        seen.count++
        if (example.length < seen.example.length) seen.example = example
      }
    }
  }

  /** One line per kind of violation, for t.same(…, []). */
  list(): string[] {
    return [...this.byKind].map(([kind, { count, example }]) => `${kind} ×${count}, e.g. ${example}`)
  }

  get fiveHundreds(): number {
    return [...this.statuses].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0)
  }
}

const cut = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}…(${text.length})` : text)
const headersOf = (headers: Record<string, string>) =>
  JSON.stringify(Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, cut(value, 60)])))
