// Reporting in key mode for the hostile runs, the dashboard's server in front of it, and what
// either must never answer: a read without a valid key, another affiliate's report or name,
// an API key or (but to an admin asking for a campaign's postback URL) an advertiser's token.
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import { build as buildReporting, insertFixture } from '../../services/reporting/test/helper.ts'
import { build as buildWeb } from '../../web/server/app.ts'
import { API_KEYS } from './reporting-requests.ts'
import type { HostileRequest } from './requests.ts'
import { type Answer, answerProblems } from './verdict.ts'

export type Server = Awaited<ReturnType<typeof buildWeb>>

/** The tokens of insertFixture's campaigns. */
const FIXTURE_TOKENS = ['token-summer-1', 'token-vpn-22']

export async function reportingWithKeys(t: Test) {
  const reporting = await buildReporting(t, { authMode: 'key' })
  await insertFixture(reporting.sql)
  const sha256 = (key: string) => createHash('sha256').update(key).digest()
  await reporting.sql`insert into api_keys (key_hash, affiliate_id, is_admin, revoked_at) values
    (${sha256(API_KEYS.one)}, 1, false, null), (${sha256(API_KEYS.two)}, 2, false, null),
    (${sha256(API_KEYS.admin)}, null, true, null), (${sha256(API_KEYS.revoked)}, 1, false, now())`
  return reporting
}

const AFFILIATES = { 1: 'Acme Media', 2: 'Blue Pixel', 3: 'Idle Ltd' } as const
const KEY_OWNER: Record<string, 1 | 2 | 'admin'> = {
  [`Bearer ${API_KEYS.one}`]: 1,
  [`Bearer ${API_KEYS.two}`]: 2,
  [`Bearer ${API_KEYS.admin}`]: 'admin',
}

/** What reporting (directly or through the proxy) must never answer to `request`. */
export function reportingProblems(request: HostileRequest, answer: Answer): string[] {
  const viewer = KEY_OWNER[request.headers.authorization ?? '']
  // Routed on the raw path (an encoded slash is no separator), parameters decoded.
  const raw = request.url.split('?')[0]!
  const path = decodeURIComponentSafe(raw)
  const tokensVisible = viewer === 'admin' && /^\/api\/campaigns\/[^/]+\/postback-url$/.test(path)
  const problems = answerProblems(request.method, answer, [
    ...Object.values(API_KEYS),
    ...(tokensVisible ? [] : FIXTURE_TOKENS),
  ])
  if (answer.statusCode >= 400 || !raw.startsWith('/api/')) return problems
  if (viewer === undefined) problems.push('an /api answer without a valid key')
  if (typeof viewer === 'number') {
    const other = /^\/api\/affiliates\/0*(\d+)/.exec(path)
    if (other && Number(other[1]) !== viewer) problems.push("another affiliate's report")
    const names = Object.entries(AFFILIATES)
      .filter(([id]) => Number(id) !== viewer)
      .map(([, name]) => name)
    if (names.some((name) => answer.body.includes(name))) problems.push("another affiliate's name")
  }
  return problems
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** The dashboard's server (a dist of two files) proxying to `reporting`, which it starts listening. */
export async function webInFrontOf(t: Test, reporting: Server) {
  await reporting.listen({ host: '127.0.0.1', port: 0 })
  const { port } = reporting.server.address() as { port: number }
  const distDir = await mkdtemp(join(tmpdir(), 'hostile-web-'))
  await mkdir(join(distDir, 'assets'))
  await writeFile(join(distDir, 'index.html'), '<!doctype html><title>Affiliate dashboard</title>')
  await writeFile(join(distDir, 'assets', 'app-1.js'), 'console.log(1)')
  const web = await buildWeb({ distDir, reportingUrl: `http://127.0.0.1:${port}`, logLevel: 'silent' })
  t.teardown(async () => {
    await web.close()
    await rm(distDir, { recursive: true, force: true })
  })
  return web
}
