// `pnpm audit:check`: `pnpm audit` must report no high or critical advisory that is not in
// audit-allowlist.json, where each exception names its advisory and package, says why it is
// accepted, and expires (`until`), so that it is looked at again. A new advisory, an expired
// entry or a registry that gives no report all fail loudly; AUDIT_OFFLINE_OK=1 lets only the
// last one pass, for machines without the registry's audit endpoint.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { loadAuditOfflineOk } from '@affiliate/shared/config'

const root = fileURLToPath(new URL('..', import.meta.url))
export const ALLOWLIST_FILE = 'audit-allowlist.json'
const BLOCKING = new Set(['high', 'critical'])

export interface AllowlistEntry {
  /** The advisory's GitHub id (GHSA-…) or the registry's numeric id. */
  id: string
  package: string
  reason: string
  /** Last day (UTC, inclusive) the exception holds. */
  until: string
}

export interface Advisory {
  id: string
  ghsa: string | undefined
  package: string
  severity: string
  title: string
  url: string
}

/** The entries of the allowlist file, or an error naming what is wrong with it. */
export function parseAllowlist(text: string): AllowlistEntry[] {
  const entries: unknown = JSON.parse(text)
  if (!Array.isArray(entries)) throw new Error(`${ALLOWLIST_FILE} must be a JSON array of entries`)
  return entries.map((entry, index) => {
    const e = (entry ?? {}) as Record<string, unknown>
    const text = (key: string) => (typeof e[key] === 'string' ? (e[key] as string).trim() : '')
    const until = text('until')
    const day = new Date(`${until}T00:00:00Z`)
    if (!text('id') || !text('package') || !text('reason')) {
      throw new Error(`${ALLOWLIST_FILE} entry ${index}: id, package and reason are required`)
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== until) {
      throw new Error(`${ALLOWLIST_FILE} entry ${index} (${text('id')}): until must be a date, YYYY-MM-DD`)
    }
    return { id: text('id'), package: text('package'), reason: text('reason'), until }
  })
}

/** The advisories of `pnpm audit --json`'s report, or undefined when the output is no report. */
export function advisoriesOf(output: string): Advisory[] | undefined {
  let report: unknown
  try {
    report = JSON.parse(output)
  } catch {
    return undefined
  }
  const advisories = (report as { advisories?: unknown } | null)?.advisories
  if (advisories === null || typeof advisories !== 'object') return undefined
  return Object.values(advisories as Record<string, Record<string, unknown>>).map((a) => ({
    id: String(a.id),
    ghsa: typeof a.github_advisory_id === 'string' ? a.github_advisory_id : undefined,
    package: String(a.module_name),
    severity: String(a.severity),
    title: String(a.title ?? ''),
    url: String(a.url ?? ''),
  }))
}

/** What fails the check: unlisted high/critical advisories and expired entries; and the unused entries. */
export function check(advisories: Advisory[], allowlist: AllowlistEntry[], today: string) {
  const listed = (a: Advisory) => (e: AllowlistEntry) => e.package === a.package && (e.id === a.ghsa || e.id === a.id)
  const blocking = advisories.filter((a) => BLOCKING.has(a.severity))
  return {
    unlisted: blocking.filter((a) => !allowlist.some(listed(a))),
    expired: allowlist.filter((e) => e.until < today),
    unused: allowlist.filter((e) => !blocking.some((a) => listed(a)(e))),
  }
}

/**
 * Why `pnpm audit` gave no report, in one sentence. pnpm prints the refusal of the registry's
 * audit endpoint wrapped in a box across lines; this finds the endpoint and its HTTP status in it.
 */
export function noReportReason(output: string): string {
  const flat = output.replace(/\s*\n\s*[│|]?\s*/g, '').replace(/[×│]/g, ' ')
  const refused = /The\s*audit\s*endpoint\s*\(at\s*(\S+?)\)\s*responded\s*with\s*(\d{3})/.exec(flat)
  if (refused) {
    const [, endpoint, status] = refused
    const bulk = endpoint!.endsWith('/advisories/bulk')
      ? "the npm registry's bulk advisory endpoint"
      : "the registry's audit endpoint"
    return (
      `BLOCKED, not audited: ${bulk} (${endpoint}) answered HTTP ${status}, so pnpm audit has no report. ` +
      'This is no clean result, and this check cannot run in CI until that endpoint answers.'
    )
  }
  const why = output.trim().split('\n').slice(0, 8).join('\n')
  return `pnpm audit gave no report (is the registry's audit endpoint reachable?):\n${why}`
}

function main(): number {
  const allowlist = parseAllowlist(readFileSync(`${root}${ALLOWLIST_FILE}`, 'utf8'))
  const audit = spawnSync('pnpm', ['audit', '--json', '--audit-level', 'high'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  })
  const advisories = advisoriesOf(audit.stdout ?? '')
  if (advisories === undefined) {
    console.error(noReportReason(`${audit.error?.message ?? ''}\n${audit.stderr ?? ''}\n${audit.stdout ?? ''}`))
    if (loadAuditOfflineOk()) {
      console.error('AUDIT_OFFLINE_OK=1: passing without an audit')
      return 0
    }
    console.error('Set AUDIT_OFFLINE_OK=1 to pass without an audit on a machine that cannot reach it.')
    return 1
  }
  const { unlisted, expired, unused } = check(advisories, allowlist, new Date().toISOString().slice(0, 10))
  for (const a of unlisted) {
    console.error(`${a.severity}: ${a.package} ${a.ghsa ?? a.id} ${a.title} ${a.url}`)
  }
  for (const e of expired) console.error(`expired on ${e.until}: ${e.package} ${e.id} (${e.reason})`)
  for (const e of unused) console.log(`no longer reported, remove it from ${ALLOWLIST_FILE}: ${e.package} ${e.id}`)
  if (unlisted.length > 0) {
    console.error(`${unlisted.length} high/critical advisories: upgrade, or add each to ${ALLOWLIST_FILE} with a reason and an until date`)
  }
  if (unlisted.length > 0 || expired.length > 0) return 1
  console.log(`pnpm audit: no high or critical advisory outside ${ALLOWLIST_FILE} (${advisories.length} advisories of any severity)`)
  return 0
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    process.exit(main())
  } catch (error) {
    // A broken allowlist file: its message says which entry.
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  }
}
