import { badParameter } from '@affiliate/http/errors'

/** A page or list size from its digits-only query string, within 1..max. */
export function parseLimit(raw: string, max: number): number {
  const limit = Number(raw)
  if (limit < 1 || limit > max) throw badParameter('limit', `must be from 1 to ${max}`)
  return limit
}
