// Requests built from a valid one by breaking a few parts of it: a parameter is dropped,
// repeated or replaced by a hostile value, extra parameters are added, and the method,
// headers and body vary. Most of a request stays valid, so that the checks behind the first
// one (tokens, clicks, affiliates, dates, cursors) are reached too.
import fc from 'fast-check'
import { extraParameter, hostileValue } from './values.ts'

export interface HostileRequest {
  method: string
  url: string
  headers: Record<string, string>
  payload?: string
}

export type Pairs = [string, string][]

/** Valid values of a request's parameters (drawn together, so that they agree), and what may break each. */
export interface Spec {
  valid: fc.Arbitrary<Record<string, string | undefined>>
  /** The parameters the endpoint reads (valid drops some, breakage may add them). */
  names: readonly string[]
  /** Hostile values aimed at one parameter, besides the general ones. */
  aimed?: Record<string, fc.Arbitrary<string>>
}

/** Query pairs (raw text): the valid ones with up to three of them broken, plus extras. */
export function broken({ valid, names, aimed = {} }: Spec): fc.Arbitrary<Pairs> {
  const breakage = fc.constantFrom(...names).chain((name) =>
    fc.oneof(
      { weight: 1, arbitrary: fc.constant({ name, drop: true as const }) },
      { weight: 3, arbitrary: (aimed[name] ?? hostileValue).map((value) => ({ name, value })) },
      { weight: 2, arbitrary: hostileValue.map((value) => ({ name, value })) },
      {
        weight: 1,
        arbitrary: fc.oneof(hostileValue, fc.constant('1')).map((value) => ({ name, value, repeat: true })),
      },
    ),
  )
  return fc
    .tuple(valid, fc.array(breakage, { maxLength: 3 }), fc.array(extraParameter(names), { maxLength: 2 }))
    .map(([values, breaks, extra]) => {
      const list: Pairs = Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined)
      for (const b of breaks) {
        const at = list.findIndex(([name]) => name === b.name)
        if ('drop' in b) {
          if (at !== -1) list.splice(at, 1)
        } else if (('repeat' in b && b.repeat) || at === -1) list.push([b.name, b.value])
        else list[at] = [b.name, b.value]
      }
      return [...list, ...extra]
    })
}

export const queryString = (list: Pairs) => list.map(([k, v]) => `${k}=${v}`).join('&')
export const withQuery = (path: string, list: Pairs) => (list.length === 0 ? path : `${path}?${queryString(list)}`)

// Methods Node's parser knows (an unknown one such as FOO never gets past it: see raw.ts).
const ODD_METHODS = ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'SEARCH', 'MKCOL']
export const method = (usual: string) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant(usual) },
    { weight: 1, arbitrary: fc.constantFrom('HEAD', 'POST', ...ODD_METHODS) },
  )

/** Extra headers a client may send, each sometimes hostile. */
export function headers(
  names: readonly string[],
  values: fc.Arbitrary<string>,
  usual: Record<string, string> = {},
): fc.Arbitrary<Record<string, string>> {
  return fc
    .subarray([...names], { maxLength: 3 })
    .chain((picked) => fc.tuple(...picked.map((name) => values.map((value) => [name, value] as const))))
    .map((list) => ({ ...usual, ...Object.fromEntries(list) }))
}

export const optional = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary }, { weight: 1, arbitrary: fc.constant(undefined) })
