// Hostile requests for ingest: clicks (GET and HEAD), postbacks (GET, and POST with every kind
// of body), and its other paths.
import fc from 'fast-check'
import {
  type HostileRequest,
  type Pairs,
  type Spec,
  broken,
  headers,
  method,
  optional,
  queryString,
  withQuery,
} from './requests.ts'
import { enc, headerValue, hostileValue } from './values.ts'

export const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'
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
      arbitrary: fc.record({ key: fc.constantFrom(...POSTBACK.names), value: jsonValue }).map(({ key, value }) => ({
        type: 'application/json',
        payload: JSON.stringify({ ...asObject(list), [key]: value }),
      })),
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
        {
          type: 'application/json',
          payload: `{"__proto__":{"affiliate_id":"1"},"constructor":{"prototype":{"x":1}},${JSON.stringify(asObject(list)).slice(1)}`,
        },
        { type: 'application/json', payload: '{"click_id":"\\ud800","affiliate_id":"1"}' },
        { type: 'application/json; charset=utf-16', payload: '{}' },
        { type: 'text/plain', payload: queryString(list) },
        { type: 'application/xml', payload: '<postback><affiliate_id>1</affiliate_id></postback>' },
        {
          type: 'multipart/form-data; boundary=x',
          payload: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
        },
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
    fc.constantFrom(
      '/healthz',
      '/readyz',
      '/metrics',
      '/',
      '/click/',
      '/CLICK',
      '//click',
      '/postback/x',
      '/%ff',
      '/%00',
      '/click%00',
    ),
    method('GET'),
    broken({ valid: fc.record({ token: optional(fc.constant('demo-token-1')) }), names: ['token'] }),
  )
  .map(([path, m, list]) => ({ method: m, url: withQuery(path, list), headers: {} }))

export const ingestRequest = fc.oneof(
  { weight: 5, arbitrary: clickRequest },
  { weight: 5, arbitrary: postbackRequest },
  { weight: 1, arbitrary: ingestElsewhere },
)
