// Hostile input, property-based: more than 10,000 generated requests against ingest, reporting
// (in key mode) and the web proxy in front of it, the bulk through inject and the cases only
// Node's HTTP parser sees over raw sockets. Every answer is a 4xx in the documented shape or
// a success that stored exactly one row; never a 5xx, a stack trace, a row stored on refusal,
// a redirect off the campaign's landing origin, another affiliate's data or a secret.
// The seed is fixed (printed); FC_SEED=<n> replays another run.
import { demoCampaigns } from '@affiliate/shared/seed'
import { insertClicks } from '@affiliate/shared/testing'
import fc from 'fast-check'
import t, { type Test } from 'tap'
import { build as buildIngest } from '../services/ingest/test/helper.ts'
import { rawCase, sendRaw } from './hostile/raw.ts'
import { BROWSER_UA, SEEDED_CLICKS, ingestRequest } from './hostile/ingest-requests.ts'
import { API_KEYS, reportingRequest, webRequest } from './hostile/reporting-requests.ts'
import { type Server, reportingProblems, reportingWithKeys, webInFrontOf } from './hostile/reporting.ts'
import type { HostileRequest } from './hostile/requests.ts'
import { type Answer, Findings, answerProblems } from './hostile/verdict.ts'

const seed = Number(process.env.FC_SEED ?? 20261210)
const RUNS = { ingest: 5_000, reporting: 3_800, web: 1_200, raw: 100 }
const DEMO_TOKENS = demoCampaigns.map((c) => c.postback_token)
const total = { inject: 0, raw: 0, fiveHundreds: 0 }
// Under inject the app shares this process's heap and event loop with the generator and the
// other apps: its load shedding would measure them (the fault suite tests shedding).
const NO_SHEDDING = { MAX_HEAP_USED_MB: '1000000', MAX_EVENT_LOOP_DELAY_MS: '60000' }
t.comment(`fast-check seed ${seed} (FC_SEED=<n> to run another)`)

const inject = async (app: Pick<Server, 'inject'>, request: HostileRequest): Promise<Answer> => {
  // inject's types list the usual methods; the odd ones (PROPFIND, MKCOL…) are tried too.
  const res = await app.inject(request as never)
  return { statusCode: res.statusCode, headers: res.headers, body: res.body }
}

/** Runs `property` over `arbitrary` and fails with one example of each kind of violation. */
async function explore<T>(
  t: Test,
  findings: Findings,
  arbitrary: fc.Arbitrary<T>,
  numRuns: number,
  check: (value: T) => Promise<void>,
) {
  const result = await fc.check(fc.asyncProperty(arbitrary, check), { seed, numRuns })
  t.notOk(result.failed, fc.defaultReportMessage(result) ?? 'every case was checked')
  t.same(
    findings.list(),
    [],
    `${findings.cases} cases, answered ${JSON.stringify(Object.fromEntries(findings.statuses))}`,
  )
  total.fiveHundreds += findings.fiveHundreds
}

t.test('ingest: no hostile request gets a 5xx, stores on refusal or redirects off the landing origin', async (t) => {
  const { app, sql } = await buildIngest(t, NO_SHEDDING)
  for (const c of SEEDED_CLICKS) {
    const at = new Date(Date.now() - ('days_ago' in c ? c.days_ago : 0) * 86_400_000)
    await insertClicks(sql, [{ click_id: c.click_id, affiliate_id: c.affiliate_id, campaign_id: c.campaign_id, timestamp: at }])
  }
  const counts = async () =>
    (
      await sql<{ clicks: number; conversions: number }[]>`select
      (select count(*) from clicks)::int as clicks, (select count(*) from conversions)::int as conversions`
    )[0]!
  const stored = async (clickId: string | null) =>
    clickId === null ? 0 : (await sql`select count(*)::int as n from clicks where click_id = ${clickId}`)[0]!.n
  const findings = new Findings()

  // Nothing else writes: the counts after one request are the counts before the next.
  let before = await counts()
  await explore(t, findings, ingestRequest, RUNS.ingest, async (request) => {
    const answer = await inject(app, request)
    const after = await counts()
    const clicks = after.clicks - before.clicks
    const conversions = after.conversions - before.conversions
    const problems = answerProblems(request.method, answer, DEMO_TOKENS)
    const query = new URLSearchParams(request.url.split('?')[1] ?? '')
    const path = request.url.split('?')[0]
    const ok = answer.statusCode < 400
    if (!ok && clicks + conversions !== 0) problems.push('a row stored on refusal')
    if (ok && path === '/click' && request.method === 'GET') {
      const json = answer.headers['content-type']?.toString().startsWith('application/json')
      const clickId = json ? (JSON.parse(answer.body) as { click_id: string }).click_id : query.get('click_id')
      if (conversions !== 0 || clicks > 1) problems.push('a click that stored more than its row')
      else if (clicks === 0 && (await stored(clickId)) !== 1) problems.push('a click acknowledged and not stored')
    } else if (ok && path === '/postback' && answer.statusCode === 200) {
      const duplicate = (JSON.parse(answer.body) as { duplicate?: boolean }).duplicate === true
      if (clicks !== 0 || conversions !== (duplicate ? 0 : 1))
        problems.push('a postback that did not store exactly its row')
    } else if (clicks + conversions !== 0) problems.push(`a ${request.method} ${path} that stored a row`)
    if (answer.statusCode === 302) {
      const campaign = demoCampaigns.find((c) => String(c.id) === query.get('campaign_id'))
      const location = String(answer.headers.location ?? '')
      if (!campaign || !URL.canParse(location) || new URL(location).origin !== new URL(campaign.landing_url).origin) {
        problems.push(`a redirect off the landing origin: ${location.slice(0, 120)}`)
      }
    }
    findings.record('ingest', request, answer, problems)
    before = after
  })
  total.inject += findings.cases

  const up = await app.inject({
    url: '/click?affiliate_id=1&campaign_id=1&click_id=still-up',
    headers: { 'user-agent': BROWSER_UA },
  })
  t.equal(up.statusCode, 302, 'ingest still takes a valid click afterwards')
})

/** Through inject to `app` (reporting, or the proxy in front of it), by reporting's rules. */
async function exploreReporting(
  t: Test,
  kind: string,
  app: Server,
  arbitrary: fc.Arbitrary<HostileRequest>,
  runs: number,
) {
  const findings = new Findings()
  await explore(t, findings, arbitrary, runs, async (request) => {
    const answer = await inject(app, request)
    findings.record(kind, request, answer, reportingProblems(request, answer))
  })
  total.inject += findings.cases
  const up = await app.inject({ url: '/api/affiliates', headers: { authorization: `Bearer ${API_KEYS.one}` } })
  t.equal(up.statusCode, 200, `${kind} still answers afterwards`)
}

t.test('reporting (key mode): no 5xx, no read of another affiliate, no secret, every error in shape', async (t) => {
  const { app } = await reportingWithKeys(t)
  await exploreReporting(t, 'reporting', app, reportingRequest, RUNS.reporting)
})

t.test('the web proxy: the same rules for what passes through it, and its own pages', async (t) => {
  const { app: reporting } = await reportingWithKeys(t)
  await exploreReporting(t, 'web', await webInFrontOf(t, reporting), webRequest, RUNS.web)
})

t.test("over raw sockets, what only Node's parser sees: a 4xx in shape, nothing stored, servers up", async (t) => {
  const { app: ingest, sql } = await buildIngest(t, NO_SHEDDING)
  const { app: reporting } = await reportingWithKeys(t)
  const web = await webInFrontOf(t, reporting)
  await ingest.listen({ host: '127.0.0.1', port: 0 })
  const servers = [
    { name: 'ingest', app: ingest, path: (id: string) => `/click?affiliate_id=1&campaign_id=1&click_id=${id}` },
    { name: 'reporting', app: reporting, path: () => '/api/affiliates/1/summary?from=2026-11-01' },
    { name: 'web', app: web, path: () => '/api/affiliates?x=1' },
  ]
  await web.listen({ host: '127.0.0.1', port: 0 })
  for (const server of servers) {
    const port = (server.app.server.address() as { port: number }).port
    const findings = new Findings()
    await explore(t, findings, rawCase(server.path), RUNS.raw, async (c) => {
      const answer = await sendRaw(port, c.bytes)
      const request = { method: c.kind, url: c.bytes.toString('latin1').split('\r\n')[0]!.slice(0, 200) }
      if (!answer) return findings.record(server.name, request, undefined, ['no HTTP answer'])
      const problems = answerProblems('GET', answer, [])
      if (server.name === 'ingest') {
        const [row] = await sql`select count(*)::int as n from clicks where click_id = ${c.clickId}`
        if (answer.statusCode >= 400 && row!.n !== 0) problems.push('a row stored on refusal')
        if (answer.statusCode < 400 && row!.n !== 1) problems.push('a click acknowledged and not stored')
      }
      findings.record(server.name, request, answer, problems)
    })
    total.raw += findings.cases
    const health = await sendRaw(port, Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'))
    t.equal(health?.statusCode, 200, `${server.name} still up`)
  }
})

t.teardown(() => {
  console.log(
    `# hostile inputs tried: ${total.inject + total.raw} (${total.inject} through inject, ${total.raw} over raw sockets); ` +
      `5xx answers: ${total.fiveHundreds}; seed ${seed}`,
  )
})
