// Every /api route answers only what its response schemas describe. Fastify's serializer
// would drop a property a schema lacks and coerce a value of the wrong type, so these apps
// send the handlers' bodies as JSON.stringify makes them, and each body is validated with
// ajv against the declared schema made strict (no property it does not list, at any depth).
import { channel } from 'node:diagnostics_channel'
import type { IncomingMessage } from 'node:http'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import type { ReportingConfig } from '../src/config.ts'
import { hashApiKey } from '../src/queries/api-keys.ts'
import { build, insertFixture } from './helper.ts'

/** A deep copy of a JSON schema in which every object schema sets additionalProperties: false. */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict)
  if (typeof schema !== 'object' || schema === null) return schema
  const copy: Record<string, unknown> = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, strict(v)]))
  if (copy.type === 'object') copy.additionalProperties = false
  return copy
}

const ajv = new Ajv({ allErrors: true })
addFormats.default(ajv)
const compiled = new WeakMap<object, ValidateFunction>()
function validator(schema: object): ValidateFunction {
  let validate = compiled.get(schema)
  if (!validate) compiled.set(schema, (validate = ajv.compile(strict(schema) as object)))
  return validate
}

type Schemas = Record<string, object>

/**
 * build(t), but the app serialises with JSON.stringify and tells, for each response, the
 * route that gave it and that route's response schemas. Set up through the
 * fastify.initialization channel, before build() registers any plugin or route.
 */
async function buildRaw(t: Test, overrides: Partial<ReportingConfig> = {}) {
  const schemas = new Map<string, Schemas>()
  const routeOf = new WeakMap<IncomingMessage, string>()
  const init = channel('fastify.initialization')
  const onInit = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance }
    fastify.setSerializerCompiler(() => (data) => JSON.stringify(data))
    fastify.addHook('onRoute', (route) => {
      if (route.method === 'GET' && route.url.startsWith('/api/')) {
        schemas.set(route.url, (route.schema?.response ?? {}) as Schemas)
      }
    })
    fastify.addHook('onSend', async (request) => {
      if (request.routeOptions.url !== undefined) routeOf.set(request.raw, request.routeOptions.url)
    })
  }
  init.subscribe(onInit)
  const built = await build(t, overrides).finally(() => init.unsubscribe(onInit))
  await insertFixture(built.sql)
  return { ...built, schemas, routeOf }
}

const ALL = 'from=2026-11-01T00:00:00Z&to=2026-11-04T00:00:00Z'
const KEYS = { one: 'ak_contract-affiliate-one', admin: 'ak_contract-admin' }

/** Requests that, between them, make every /api route give each status it declares. */
const DEMO_REQUESTS = [
  '/api/affiliates',
  `/api/affiliates/1/summary?${ALL}`,
  `/api/affiliates/1/summary?${ALL}&include_bots=true`,
  `/api/affiliates/3/summary?${ALL}`,
  '/api/affiliates/1/summary?from=2026-11-05T00:00:00Z&to=2026-11-04T00:00:00Z',
  '/api/affiliates/0x1/summary',
  '/api/affiliates/99/summary',
  `/api/affiliates/1/campaigns?${ALL}`,
  `/api/affiliates/3/campaigns?${ALL}`,
  '/api/affiliates/1/campaigns?include_bots=maybe',
  '/api/affiliates/99/campaigns',
  `/api/affiliates/1/timeseries?${ALL}&interval=hour`,
  `/api/affiliates/1/timeseries?${ALL}&interval=day&include_bots=true`,
  '/api/affiliates/1/timeseries?interval=week',
  '/api/affiliates/99/timeseries',
  `/api/affiliates/1/breakdown?${ALL}&by=sub1`,
  `/api/affiliates/1/breakdown?${ALL}&by=sub2&campaign_id=2&include_bots=true`,
  '/api/affiliates/1/breakdown',
  '/api/affiliates/1/breakdown?by=sub1&campaign_id=99',
  '/api/affiliates/99/breakdown?by=sub1',
  `/api/affiliates/1/conversions?${ALL}`,
  `/api/affiliates/1/conversions?${ALL}&limit=2`,
  `/api/affiliates/1/conversions?${ALL}&status=pending`,
  '/api/affiliates/1/conversions?cursor=not-a-cursor',
  '/api/affiliates/99/conversions',
  '/api/affiliates/1/postback-url',
  '/api/affiliates/abc/postback-url',
  '/api/affiliates/99/postback-url',
  '/api/affiliates/1/offers',
  '/api/affiliates/3/offers',
  '/api/affiliates/abc/offers',
  '/api/affiliates/99/offers',
  '/api/campaigns/1/postback-url',
  '/api/campaigns/0/postback-url',
  '/api/campaigns/99/postback-url',
]

t.test('strict() makes every object schema refuse a property it does not list, at any depth', async (t) => {
  const schema = {
    type: 'object',
    properties: {
      items: { type: 'array', items: { anyOf: [{ type: 'object', properties: { a: { type: 'integer' } } }] } },
    },
  }
  const validate = validator(schema)
  t.ok(validate({ items: [{ a: 1 }] }))
  t.notOk(validate({ items: [{ a: 1 }], extra: true }), 'at the top')
  t.notOk(validate({ items: [{ a: 1, b: 2 }] }), 'inside an array of a union')
  t.notOk(validate({ items: [{ a: '1' }] }), 'a count sent as a string')
  t.equal((schema.properties.items.items.anyOf[0] as { additionalProperties?: boolean }).additionalProperties, undefined)
})

t.test('every /api route answers only what its response schema describes, for 200s and errors', async (t) => {
  const demo = await buildRaw(t)
  const key = await buildRaw(t, { authMode: 'key' })
  await key.sql`insert into api_keys (key_hash, affiliate_id, is_admin) values
    (${hashApiKey(KEYS.one)}, 1, false), (${hashApiKey(KEYS.admin)}, null, true)`
  const routes = [...demo.schemas.keys()].sort()
  t.same([...key.schemas.keys()].sort(), routes, 'both modes have the same routes')
  const answered = new Map(routes.map((route) => [route, new Set<string>()]))

  const check = (app: typeof demo, res: LightMyRequestResponse, what: string) => {
    const route = app.routeOf.get(res.raw.req)
    const status = String(res.statusCode)
    const schema = route === undefined ? undefined : app.schemas.get(route)?.[status]
    if (!t.ok(schema, `${what}: ${route} declares its ${status}`)) return
    answered.get(route!)!.add(status)
    const validate = validator(schema!)
    t.ok(validate(res.json()), `${what}: ${status} matches the schema`, { errors: validate.errors, body: res.json() })
  }

  for (const url of DEMO_REQUESTS) check(demo, await demo.app.inject(url), url)
  // The next page, through the cursor the first one returned.
  const first = await demo.app.inject(`/api/affiliates/1/conversions?${ALL}&limit=2`)
  const cursor = first.json().next_cursor
  t.type(cursor, 'string')
  const next = `/api/affiliates/1/conversions?${ALL}&limit=2&cursor=${cursor}`
  check(demo, await demo.app.inject(next), next)

  const withKey = (url: string, bearer?: string) =>
    key.app.inject({ url, headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` } })
  for (const route of routes) {
    const url = route.replace(':id', '1')
    check(key, await withKey(url), `${url} without a key`)
    check(key, await withKey(url, 'ak_unknown'), `${url} with an unknown key`)
    check(key, await withKey(url, route.startsWith('/api/campaigns/') ? KEYS.admin : KEYS.one), `${url} with a key`)
  }
  const admin = '/api/campaigns/1/postback-url'
  check(key, await withKey(admin, KEYS.one), `${admin} with an affiliate's key`)

  for (const route of routes) {
    const declared = Object.keys(demo.schemas.get(route)!).sort()
    t.same([...answered.get(route)!].sort(), declared, `${route} gave every status it declares`)
  }
})
