// Hostile requests for the reporting API (key mode) and for the dashboard's server, which
// passes /api on to it: keys of either affiliate or an admin, other affiliates' ids, broken
// ranges, impossible dates and forged cursors, path variants.
import fc from 'fast-check'
import { type HostileRequest, type Spec, broken, headers, method, optional, withQuery } from './requests.ts'
import { FORGED_CURSORS, IMPOSSIBLE_CURSORS, IMPOSSIBLE_DATES, enc, headerValue } from './values.ts'

/** The keys the test registers (key mode): affiliates 1 and 2, an admin, a revoked one. */
export const API_KEYS = {
  one: 'ak_hostile-affiliate-one',
  two: 'ak_hostile-affiliate-two',
  admin: 'ak_hostile-admin',
  revoked: 'ak_hostile-revoked',
} as const

/** Whose key is sent (or what instead), and the affiliate asked about: mostly one it may read. */
const viewerAndAffiliate = (values: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.constant(`Bearer ${API_KEYS.admin}`), fc.constantFrom('1', '2', '3')) },
    { weight: 3, arbitrary: fc.tuple(fc.constant(`Bearer ${API_KEYS.one}`), fc.constantFrom('1', '1', '2', '3')) },
    { weight: 1, arbitrary: fc.tuple(fc.constant(`Bearer ${API_KEYS.two}`), fc.constantFrom('2', '1')) },
    {
      weight: 1,
      arbitrary: fc.tuple(
        fc.oneof(
          fc.constantFrom(
            '',
            `Bearer ${API_KEYS.revoked}`,
            'Bearer ',
            `bearer ${API_KEYS.one}`,
            `Basic ${API_KEYS.one}`,
            `Bearer ${API_KEYS.one} x`,
            `Bearer ${'a'.repeat(300)}`,
            "Bearer ' OR 1=1--",
          ),
          values,
        ),
        fc.constant('1'),
      ),
    },
  )
const hostileId = fc.constantFrom(
  '9',
  '0',
  '-1',
  '01',
  '1e3',
  '0x1',
  '%00',
  '%2e%2e',
  '..',
  '1%2F..',
  '%32',
  '١',
  'x'.repeat(200),
  '2147483648',
  '1.0',
  '%201',
)

const FIXTURE_DAYS = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04']
/** A range the endpoint takes (at most 31 days, from before to), or the defaults. */
const validRange = fc.oneof(
  fc.constant({ from: undefined, to: undefined }),
  fc.constantFrom(...FIXTURE_DAYS).map((from) => ({ from, to: undefined })),
  fc
    .tuple(fc.constantFrom(...FIXTURE_DAYS.slice(0, 2)), fc.constantFrom(...FIXTURE_DAYS.slice(2)))
    .map(([from, to]) => ({ from, to })),
  fc
    .tuple(
      fc.date({ min: new Date('2000-01-02T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }),
      fc.integer({ min: 1, max: 30 * 24 }),
    )
    .map(([from, hours]) => ({
      from: enc(from.toISOString()),
      to: enc(new Date(from.getTime() + hours * 3_600_000).toISOString()),
    })),
)
const dateAimed = fc.oneof(
  fc.constantFrom(...IMPOSSIBLE_DATES),
  fc.constantFrom(enc('2026-11-01T10:00:00+05:30'), '2026-11-01T10:00Z'),
)
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
  timeseries: report(
    { interval: optional(fc.constantFrom('hour', 'day')) },
    { interval: fc.constantFrom('week', 'HOUR', 'minute') },
  ),
  breakdown: report(
    {
      by: fc.constantFrom('sub1', 'sub2', 'sub5'),
      campaign_id: optional(fc.constantFrom('1', '2')),
      limit: optional(fc.constantFrom('1', '50', '500')),
    },
    {
      by: fc.constantFrom('sub6', 'sub0', 'SUB1', 'click_id', 'affiliate_id'),
      campaign_id: fc.constantFrom('3', '9', '0'),
      limit: fc.constantFrom('0', '501', '999', '1000'),
    },
  ),
  conversions: {
    valid: fc
      .tuple(
        validRange,
        fc.record({
          limit: optional(fc.constantFrom('1', '2', '50')),
          cursor: optional(fc.constant(validCursor)),
          status: optional(fc.constantFrom('approved', 'pending', 'rejected')),
        }),
      )
      .map(([range, rest]) => ({ ...range, ...rest })),
    names: ['from', 'to', 'limit', 'cursor', 'status'],
    aimed: {
      ...RANGE_AIMED,
      cursor: fc.oneof(fc.constantFrom(...IMPOSSIBLE_CURSORS), fc.constantFrom(...FORGED_CURSORS)),
      limit: fc.constantFrom('0', '501'),
      status: fc.constantFrom('APPROVED', 'refunded'),
    },
  },
  'postback-url': { valid: fc.constant({}), names: ['from'] },
}

const pathVariant = (path: string) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant(path) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        `${path}/`,
        path.replace('/api/', '/api//'),
        path.toUpperCase(),
        `${path}/..`,
        `${path}%00`,
        path.replace('/api/', '/api/%2e/'),
      ),
    },
  )

const reportPath = (values: fc.Arbitrary<string>) =>
  fc
    .tuple(
      fc.constantFrom(...Object.keys(REPORTS)),
      viewerAndAffiliate(values),
      fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileId }),
    )
    .chain(([name, [auth, id], badId]) =>
      fc.record({
        auth: fc.constant(auth),
        path: pathVariant(`/api/affiliates/${badId ?? id}/${name}`),
        list: broken(REPORTS[name]!),
      }),
    )
const otherPath = (values: fc.Arbitrary<string>) =>
  fc.record({
    auth: viewerAndAffiliate(values).map(([auth]) => auth),
    path: fc.oneof(
      fc.constant('/api/affiliates'),
      fc.oneof(fc.constantFrom('1', '2', '3'), hostileId).map((id) => `/api/campaigns/${id}/postback-url`),
      fc.constantFrom(
        '/api',
        '/api/',
        '/api/affiliates/1',
        '/api/nothing',
        '/openapi.json',
        '/docs',
        '/docs/',
        '/healthz',
        '/readyz',
        '/metrics',
        '/%ff',
        '/api/%ff',
      ),
    ),
    list: broken({
      valid: fc.record({ token: optional(fc.constant('demo-token-1')), key: optional(fc.constant(API_KEYS.admin)) }),
      names: ['token', 'key'],
    }),
  })

const REPORTING_HEADERS = [
  'accept',
  'x-request-id',
  'if-none-match',
  'accept-encoding',
  'x-forwarded-for',
  'content-type',
]

/** A request for the reporting API (also what the web proxy passes on), with header values from `values`. */
const reportingRequestWith = (values: fc.Arbitrary<string>): fc.Arbitrary<HostileRequest> =>
  fc
    .tuple(
      fc.oneof({ weight: 5, arbitrary: reportPath(values) }, { weight: 1, arbitrary: otherPath(values) }),
      method('GET'),
      headers(REPORTING_HEADERS, values),
    )
    .map(([{ auth, path, list }, m, h]) => ({
      method: m,
      url: withQuery(path, list),
      headers: { ...h, ...(auth === '' ? {} : { authorization: auth }) },
      ...(m === 'POST' ? { payload: '{"affiliate_id":2}' } : {}),
    }))

/** The dashboard's own paths: pages, assets, traversal attempts. */
const webPage: fc.Arbitrary<HostileRequest> = fc
  .tuple(
    fc.constantFrom(
      '/',
      '/index.html',
      '/assets/app-1.js',
      '/assets/gone.js',
      '/reports',
      '/..%2F..%2Fetc%2Fpasswd',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/..%5c..%5cpackage.json',
      '/%2e%2e/',
      '/assets/%00.js',
      '/apix',
      '/api%2faffiliates',
    ),
    method('GET'),
    fc.constantFrom('text/html', 'application/json', '*/*'),
    broken({ valid: fc.record({ range: optional(fc.constantFrom('7d', '30d')) }), names: ['range'] }),
  )
  .map(([path, m, accept, list]) => ({ method: m, url: withQuery(path, list), headers: { accept } }))

export const reportingRequest = reportingRequestWith(headerValue())

// Through the proxy, headers no longer than the wire allows: inject would let the proxy pass
// on a 100 kB header that Node's parser in front of it refuses (raw.ts), and the upstream resets.
export const webRequest = fc.oneof(
  { weight: 3, arbitrary: reportingRequestWith(headerValue(4_000)) },
  { weight: 1, arbitrary: webPage },
)
