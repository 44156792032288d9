// Request parameters are validated as raw strings (Fastify's type coercion alone would
// turn `0x1` or `1e3` into ids), by a few ajv keywords whose messages tell the caller
// what a good value looks like: "affiliate_id must be a whole number from 1 to 2147483647".
import { isIP } from 'node:net'
import { Type } from '@sinclair/typebox'
import { ConversionStatuses } from '@affiliate/contracts/values'

const INT32_MAX = 2147483647
const currencies = new Set(Intl.supportedValuesOf('currency'))
// NUL cannot be stored in PostgreSQL text; lone surrogates cannot be stored in jsonb.
const CONTROL_OR_LONE_SURROGATE = /[\u0000-\u001f\u007f\p{Cs}]/u

const checks = {
  int32Id: {
    message: `must be a whole number from 1 to ${INT32_MAX}`,
    test: (s: string) => /^[1-9][0-9]{0,9}$/.test(s) && Number(s) <= INT32_MAX,
  },
  clickId: {
    message: 'must be 1 to 128 characters of A-Z a-z 0-9 . _ ~ : -',
    test: (s: string) => /^[A-Za-z0-9._~:-]{1,128}$/.test(s),
  },
  amount: {
    message: 'must be a decimal number like 10 or 10.50 (up to 14 digits and 4 decimals)',
    test: (s: string) => /^\d{1,14}(\.\d{1,4})?$/.test(s),
  },
  currency: {
    message: 'must be an ISO 4217 currency code',
    test: (s: string) => s.length === 3 && currencies.has(s.toUpperCase()),
  },
  conversionStatus: {
    message: `must be one of ${ConversionStatuses.join(', ')}`,
    test: (s: string) => (ConversionStatuses as readonly string[]).includes(s.toLowerCase()),
  },
  plainText: {
    message: 'must not contain control characters',
    test: (s: string) => !CONTROL_OR_LONE_SURROGATE.test(s),
  },
} as const

/** Fastify `ajv.plugins` entry adding the keywords above. */
interface KeywordDefinition {
  keyword: string
  type: 'string'
  schemaType: 'boolean'
  error: { message: string }
  validate: (schema: boolean, data: string) => boolean
}

export function addKeywords<A extends { addKeyword(definition: KeywordDefinition): unknown }>(ajv: A): A {
  for (const [keyword, { message, test }] of Object.entries(checks)) {
    ajv.addKeyword({
      keyword,
      type: 'string',
      schemaType: 'boolean',
      error: { message },
      validate: (_: boolean, s: string) => test(s),
    })
  }
  return ajv
}

export const Id = Type.String({ int32Id: true })
export const ClickId = Type.String({ clickId: true })
export const Amount = Type.String({ amount: true })
export const Currency = Type.String({ currency: true })
export const Status = Type.String({ conversionStatus: true })
export const Text = (maxLength: number) => Type.String({ maxLength, plainText: true })

/** Header values are never a reason to refuse a request: they are cleaned and cut. */
export function cleanHeader(value: string | string[] | undefined, maxLength: number): string | null {
  if (value === undefined) return null
  const text = (Array.isArray(value) ? value.join(', ') : value).replace(/[\u0000-\u001f\u007f]/g, '')
  return text === '' ? null : text.slice(0, maxLength)
}

/** The client address as PostgreSQL inet accepts it, or null (a proxy may send anything). */
export function clientIp(ip: string | undefined): string | null {
  if (ip === undefined) return null
  const address = ip.replace(/%.*$/, '')
  return isIP(address) === 0 ? null : address
}
