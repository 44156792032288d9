// Requests built from a valid one by breaking a few parts of it: a parameter is dropped,
// repeated or replaced by a hostile value, extra parameters are added, and the method,
// headers and body vary. Most of a request stays valid, so that the checks behind the first
// one (tokens, clicks, affiliates, dates, cursors) are reached too.
import fc from 'fast-check'
import { FORGED_CURSORS, IMPOSSIBLE_CURSORS, IMPOSSIBLE_DATES, enc, extraParameter, headerValue, hostileValue } from './values.ts'

export interface HostileRequest {
  method: string
  url: string
  headers: Record<string, string>
  payload?: string
}

type Pairs = [string, string][]

/** Valid values of a request's parameters (drawn together, so that they agree), and what may break each. */
interface Spec {
  valid: fc.Arbitrary<Record<string, string | undefined>>
  /** The parameters the endpoint reads (valid drops some, breakage may add them). */
  names: readonly string[]
  /** Hostile values aimed at one parameter, besides the general ones. */
  aimed?: Record<string, fc.Arbitrary<string>>
}

/** Query pairs (raw text): the valid ones with up to three of them broken, plus extras. */
function broken({ valid, names, aimed = {} }: Spec): fc.Arbitrary<Pairs> {
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

const queryString = (list: Pairs) => list.map(([k, v]) => `${k}=${v}`).join('&')
const withQuery = (path: string, list: Pairs) => (list.length === 0 ? path : `${path}?${queryString(list)}`)

// Methods Node's parser knows (an unknown one such as FOO never gets past it: see raw.ts).
const ODD_METHODS = ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'SEARCH', 'MKCOL']
const method = (usual: string) =>
  fc.oneof({ weight: 12, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: fc.constantFrom('HEAD', 'POST', ...ODD_METHODS) })

/** Extra headers a client may send, each sometimes hostile. */
function headers(names: readonly string[], values: fc.Arbitrary<string>, usual: Record<string, string> = {}): fc.Arbitrary<Record<string, string>> {
  return fc
    .subarray([...names], { maxLength: 3 })
    .chain((picked) => fc.tuple(...picked.map((name) => values.map((value) => [name, value] as const))))
    .map((list) => ({ ...usual, ...Object.fromEntries(list) }))
}

const optional = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary }, { weight: 1, arbitrary: fc.constant(undefined) })

// --- ingest -------------------------------------------------------------------------------------

export const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'
const INGEST_HEADERS = ['user-agent', 'referer', 'accept', 'x-forwarded-for', 'x-request-id', 'cookie', 'x-real-ip']
const TOKENS = ['demo-token-1', 'demo-token-2', 'demo-token-3'] as const
const id3 = fc.constantFrom('1', '2', '3')
const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }).map(enc), fc.stringMatching(/^[a-z0-9-]{1,12}$/))
const newClickId = fc.stringMatching(/^[A-Za-z0-9._~:-]{1,40}$/)

/** The clicks postbacks may convert, arranged by the test (h1..h4 fresh, `old` past the window). */
export const SEEDED_CLICKS = [
  { click_id: 'h1', affiliate_id: 1, campaign_id: 1 },
  { click_id: 'h2', affiliate_id: 2, campaign_id: 2 },
  { click_id: 'h3', affiliate_id: 3, campaign_id: 3 },
  { click_id: 'h4', affiliate_id: 1, campaign_id: 2 },
  { click_id: 'old', affiliate_id: 1, campaign_id: 1, days_ago: 60 },
] as const
const seededIds = fc.constantFrom(...SEEDED_CLICKS.map((c) => c.click_id))
// Other affiliates' ids and other campaigns' tokens are the hostile values that matter most here.
const otherIds = fc.oneof(id3, fc.constantFrom('4', '2147483647'))

const CLICK: Spec = {
  valid: fc.record({
    affiliate_id: id3,
    campaign_id: id3,
    click_id: optional(fc.oneof({ weight: 4, arbitrary: newClickId }, { weight: 1, arbitrary: seededIds })),
    sub1: optional(text),
    sub2: optional(text),
    sub3: optional(text),
    sub4: optional(text),
    sub5: optional(text),
  }),
  names: ['affiliate_id', 'campaign_id', 'click_id', 'sub1', 'sub2', 'sub3', 'sub4', 'sub5'],
  aimed: { affiliate_id: otherIds, campaign_id: otherIds, click_id: seededIds },
}

const POSTBACK: Spec = {
  valid: fc
    .record({
      click: fc.constantFrom(...SEEDED_CLICKS),
      amount: fc.oneof(fc.stringMatching(/^\d{1,6}(\.\d{1,4})?$/), fc.constantFrom('0', '99999999999999.9999')),
      currency: fc.constantFrom('USD', 'eur', 'JPY'),
      txn_id: optional(fc.stringMatching(/^[a-z0-9]{1,10}$/)),
      status: optional(fc.constantFrom('approved', 'pending', 'rejected', 'APPROVED')),
    })
    .map(({ click, ...rest }) => ({
      affiliate_id: String(click.affiliate_id),
      click_id: click.click_id,
      token: TOKENS[click.campaign_id - 1],
      ...rest,
    })),
  names: ['affiliate_id', 'click_id', 'amount', 'currency', 'txn_id', 'status', 'token'],
  aimed: {
    affiliate_id: otherIds,
    click_id: fc.oneof(seededIds, newClickId),
    token: fc.constantFrom(...TOKENS, 'wrong', 'demo-token-1%00', 'DEMO-TOKEN-1', `demo-token-1${'x'.repeat(300)}`),
    currency: fc.constantFrom('XXX', 'ZZZ', 'US', 'usd%00'),
    status: fc.constantFrom('refunded', 'approved%00', ''),
  },
}

const clickRequest: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    fc.constantFrom('GET', 'GET', 'GET', 'HEAD'),
    method('GET'),
    broken(CLICK),
    headers(INGEST_HEADERS, headerValue(), { 'user-agent': BROWSER_UA }),
    fc.constantFrom('text/html', 'application/json', '*/*'),
  )
  .map(([usual, m, list, h, accept]) => ({
    method: m === 'GET' ? usual : m,
    url: withQuery('/click', list),
    headers: { accept, ...h },
  }))

/** JSON values of every type, for bodies whose fields are not strings. */
const jsonValue = fc.oneof(
  fc.string(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }),
  fc.constantFrom(1e308, -0, 0x10, Number.MAX_SAFE_INTEGER + 2, 1.5, -1),
)

function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}
const asObject = (list: Pairs) => Object.fromEntries(list.map(([k, v]) => [decoded(k), decoded(v)]))
const deep = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)

/** A POST /postback body: a form, JSON of any shape, or bytes of the wrong kind. */
const postbackBody = (list: Pairs): fc.Arbitrary<{ type?: string; payload?: string }> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant({ type: 'application/x-www-form-urlencoded', payload: queryString(list) }) },
    { weight: 3, arbitrary: fc.constant({ type: 'application/json', payload: JSON.stringify(asObject(list)) }) },
    {
      weight: 2,
      arbitrary: fc
        .record({ key: fc.constantFrom(...POSTBACK.names), value: jsonValue })
        .map(({ key, value }) => ({ type: 'application/json', payload: JSON.stringify({ ...asObject(list), [key]: value }) })),
    },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        { type: 'application/json', payload: '[]' },
        { type: 'application/json', payload: JSON.stringify([asObject(list)]) },
        { type: 'application/json', payload: 'null' },
        { type: 'application/json', payload: '"affiliate_id=1"' },
        { type: 'application/json', payload: '{"affiliate_id":' },
        { type: 'application/json', payload: '' },
        { type: 'application/json', payload: deep(5_000) },
        { type: 'application/json', payload: `{"x":"${'a'.repeat(40_000)}"}` },
        { type: 'application/json', payload: `{"__proto__":{"affiliate_id":"1"},"constructor":{"prototype":{"x":1}},${JSON.stringify(asObject(list)).slice(1)}` },
        { type: 'application/json', payload: '{"click_id":"\\ud800","affiliate_id":"1"}' },
        { type: 'application/json; charset=utf-16', payload: '{}' },
        { type: 'text/plain', payload: queryString(list) },
        { type: 'application/xml', payload: '<postback><affiliate_id>1</affiliate_id></postback>' },
        { type: 'multipart/form-data; boundary=x', payload: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--' },
        { type: 'application/x-www-form-urlencoded', payload: `${queryString(list)}&pad=${'b'.repeat(20_000)}` },
        { type: 'application/x-www-form-urlencoded', payload: '%%%&=&&==' },
        { type: undefined, payload: undefined },
        { type: 'garbage/;;;', payload: 'x' },
      ),
    },
  )

const postbackRequest: fc.Arbitrary<HostileRequest> = fc
  .tuple(fc.constantFrom('GET', 'POST'), method('X'), broken(POSTBACK), headers(INGEST_HEADERS, headerValue()))
  .chain(([usual, m, list, h]) => {
    const verb = m === 'X' ? usual : m
    if (verb !== 'POST') return fc.constant({ method: verb, url: withQuery('/postback', list), headers: h })
    return fc.tuple(postbackBody(list), fc.boolean()).map(([body, alsoQuery]) => ({
      method: verb,
      url: alsoQuery || body.payload === undefined ? withQuery('/postback', list) : '/postback',
      headers: { ...h, ...(body.type === undefined ? {} : { 'content-type': body.type }) },
      payload: body.payload,
    }))
  })

const ingestElsewhere: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    fc.constantFrom('/healthz', '/readyz', '/metrics', '/', '/click/', '/CLICK', '//click', '/postback/x', '/%ff', '/%00', '/click%00'),
    method('GET'),
    broken({ valid: fc.record({ token: optional(fc.constant('demo-token-1')) }), names: ['token'] }),
  )
  .map(([path, m, list]) => ({ method: m, url: withQuery(path, list), headers: {} }))

export const ingestRequest = fc.oneof(
  { weight: 5, arbitrary: clickRequest },
  { weight: 5, arbitrary: postbackRequest },
  { weight: 1, arbitrary: ingestElsewhere },
)

// --- reporting and the web proxy ----------------------------------------------------------------

/** The keys the test registers (key mode): affiliates 1 and 2, an admin, a revoked one. */
export const API_KEYS = {
  one: 'ak_hostile-affiliate-one',
  two: 'ak_hostile-affiliate-two',
  admin: 'ak_hostile-admin',
  revoked: 'ak_hostile-revoked',
} as const

/** Whose key is sent (or what instead), and the affiliate asked about: mostly one it may read. */
const viewerAndAffiliate = (values: fc.Arbitrary<string>) => fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constant(`Bearer ${API_KEYS.admin}`), fc.constantFrom('1', '2', '3')) },
  { weight: 3, arbitrary: fc.tuple(fc.constant(`Bearer ${API_KEYS.one}`), fc.constantFrom('1', '1', '2', '3')) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(`Bearer ${API_KEYS.two}`), fc.constantFrom('2', '1')) },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.oneof(
        fc.constantFrom('', `Bearer ${API_KEYS.revoked}`, 'Bearer ', `bearer ${API_KEYS.one}`, `Basic ${API_KEYS.one}`, `Bearer ${API_KEYS.one} x`, `Bearer ${'a'.repeat(300)}`, "Bearer ' OR 1=1--"),
        values,
      ),
      fc.constant('1'),
    ),
  },
)
const hostileId = fc.constantFrom('9', '0', '-1', '01', '1e3', '0x1', '%00', '%2e%2e', '..', '1%2F..', '%32', '١', 'x'.repeat(200), '2147483648', '1.0', '%201')

const FIXTURE_DAYS = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04']
/** A range the endpoint takes (at most 31 days, from before to), or the defaults. */
const validRange = fc.oneof(
  fc.constant({ from: undefined, to: undefined }),
  fc.constantFrom(...FIXTURE_DAYS).map((from) => ({ from, to: undefined })),
  fc.tuple(fc.constantFrom(...FIXTURE_DAYS.slice(0, 2)), fc.constantFrom(...FIXTURE_DAYS.slice(2))).map(([from, to]) => ({ from, to })),
  fc
    .tuple(fc.date({ min: new Date('2000-01-02T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 1, max: 30 * 24 }))
    .map(([from, hours]) => ({ from: enc(from.toISOString()), to: enc(new Date(from.getTime() + hours * 3_600_000).toISOString()) })),
)
const dateAimed = fc.oneof(fc.constantFrom(...IMPOSSIBLE_DATES), fc.constantFrom(enc('2026-11-01T10:00:00+05:30'), '2026-11-01T10:00Z'))
const RANGE_AIMED = { from: dateAimed, to: dateAimed, include_bots: fc.constantFrom('1', 'yes', 'TRUE', '') }

const report = (
  extra: Record<string, fc.Arbitrary<string | undefined>> = {},
  aimed: Record<string, fc.Arbitrary<string>> = {},
): Spec => ({
  valid: fc
    .tuple(validRange, fc.record({ include_bots: optional(fc.constantFrom('true', 'false')), ...extra }))
    .map(([range, rest]) => ({ ...range, ...rest })),
  names: ['from', 'to', 'include_bots', ...Object.keys(extra)],
  aimed: { ...RANGE_AIMED, ...aimed },
})
const validCursor = Buffer.from(JSON.stringify(['2026-11-01T10:30:00.000000Z', 1])).toString('base64url')
const REPORTS: Record<string, Spec> = {
  summary: report(),
  campaigns: report(),
  timeseries: report({ interval: optional(fc.constantFrom('hour', 'day')) }, { interval: fc.constantFrom('week', 'HOUR', 'minute') }),
  breakdown: report(
    { by: fc.constantFrom('sub1', 'sub2', 'sub5'), campaign_id: optional(fc.constantFrom('1', '2')), limit: optional(fc.constantFrom('1', '50', '500')) },
    { by: fc.constantFrom('sub6', 'sub0', 'SUB1', 'click_id', 'affiliate_id'), campaign_id: fc.constantFrom('3', '9', '0'), limit: fc.constantFrom('0', '501', '999', '1000') },
  ),
  conversions: {
    valid: fc.tuple(validRange, fc.record({ limit: optional(fc.constantFrom('1', '2', '50')), cursor: optional(fc.constant(validCursor)), status: optional(fc.constantFrom('approved', 'pending', 'rejected')) })).map(([range, rest]) => ({ ...range, ...rest })),
    names: ['from', 'to', 'limit', 'cursor', 'status'],
    aimed: { ...RANGE_AIMED, cursor: fc.oneof(fc.constantFrom(...IMPOSSIBLE_CURSORS), fc.constantFrom(...FORGED_CURSORS)), limit: fc.constantFrom('0', '501'), status: fc.constantFrom('APPROVED', 'refunded') },
  },
  'postback-url': { valid: fc.constant({}), names: ['from'] },
}

const pathVariant = (path: string) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant(path) },
    { weight: 1, arbitrary: fc.constantFrom(`${path}/`, path.replace('/api/', '/api//'), path.toUpperCase(), `${path}/..`, `${path}%00`, path.replace('/api/', '/api/%2e/')) },
  )

const reportPath = (values: fc.Arbitrary<string>) => fc.tuple(fc.constantFrom(...Object.keys(REPORTS)), viewerAndAffiliate(values), fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileId }))
  .chain(([name, [auth, id], badId]) =>
    fc.record({
      auth: fc.constant(auth),
      path: pathVariant(`/api/affiliates/${badId ?? id}/${name}`),
      list: broken(REPORTS[name]!),
    }),
  )
const otherPath = (values: fc.Arbitrary<string>) => fc.record({
  auth: viewerAndAffiliate(values).map(([auth]) => auth),
  path: fc.oneof(
    fc.constant('/api/affiliates'),
    fc.oneof(fc.constantFrom('1', '2', '3'), hostileId).map((id) => `/api/campaigns/${id}/postback-url`),
    fc.constantFrom('/api', '/api/', '/api/affiliates/1', '/api/nothing', '/openapi.json', '/healthz', '/readyz', '/metrics', '/%ff', '/api/%ff'),
  ),
  list: broken({
    valid: fc.record({ token: optional(fc.constant('demo-token-1')), key: optional(fc.constant(API_KEYS.admin)) }),
    names: ['token', 'key'],
  }),
})

const REPORTING_HEADERS = ['accept', 'x-request-id', 'if-none-match', 'accept-encoding', 'x-forwarded-for', 'content-type']

/** A request for the reporting API (also what the web proxy passes on), with header values from `values`. */
const reportingRequestWith = (values: fc.Arbitrary<string>): fc.Arbitrary<HostileRequest> => fc
  .tuple(fc.oneof({ weight: 5, arbitrary: reportPath(values) }, { weight: 1, arbitrary: otherPath(values) }), method('GET'), headers(REPORTING_HEADERS, values))
  .map(([{ auth, path, list }, m, h]) => ({
    method: m,
    url: withQuery(path, list),
    headers: { ...h, ...(auth === '' ? {} : { authorization: auth }) },
    ...(m === 'POST' ? { payload: '{"affiliate_id":2}' } : {}),
  }))

/** The dashboard's own paths: pages, assets, traversal attempts. */
const webPage: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    fc.constantFrom('/', '/index.html', '/assets/app-1.js', '/assets/gone.js', '/reports', '/..%2F..%2Fetc%2Fpasswd', '/assets/%2e%2e/%2e%2e/package.json', '/assets/..%5c..%5cpackage.json', '/%2e%2e/', '/assets/%00.js', '/apix', '/api%2faffiliates'),
    method('GET'),
    fc.constantFrom('text/html', 'application/json', '*/*'),
    broken({ valid: fc.record({ range: optional(fc.constantFrom('7d', '30d')) }), names: ['range'] }),
  )
  .map(([path, m, accept, list]) => ({ method: m, url: withQuery(path, list), headers: { accept } }))

export const reportingRequest = reportingRequestWith(headerValue())

// Through the proxy, headers no longer than the wire allows: inject would let the proxy pass
// on a 100 kB header that Node's parser in front of it refuses (raw.ts), and the upstream resets.
export const webRequest = fc.oneof({ weight: 3, arbitrary: reportingRequestWith(headerValue(4_000)) }, { weight: 1, arbitrary: webPage })
