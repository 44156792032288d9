// What `pnpm audit:check` lets through: a report of pnpm audit --json against the allowlist.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { ALLOWLIST_FILE, advisoriesOf, check, noReportReason, parseAllowlist } from './audit.ts'

const report = (advisories: Record<string, unknown>[]) =>
  JSON.stringify({
    actions: [],
    advisories: Object.fromEntries(advisories.map((a) => [String(a.id), { findings: [{ version: '1.0.0', paths: ['.>x'] }], ...a }])),
    metadata: { vulnerabilities: {} },
  })

const HIGH = { id: 1001, github_advisory_id: 'GHSA-aaaa-bbbb-cccc', module_name: 'left-pad', severity: 'high', title: 'Prototype pollution', url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc' }
const CRITICAL = { id: 1002, github_advisory_id: 'GHSA-dddd-eeee-ffff', module_name: 'qs', severity: 'critical', title: 'RCE', url: 'u' }
const MODERATE = { id: 1003, github_advisory_id: 'GHSA-gggg-hhhh-iiii', module_name: 'debug', severity: 'moderate', title: 'ReDoS', url: 'u' }

const entry = (id: string, pkg: string, until = '2027-01-31') => ({ id, package: pkg, reason: 'dev-only, no untrusted input', until })

t.test('a high or critical advisory not in the allowlist fails; a moderate one does not', async (t) => {
  const advisories = advisoriesOf(report([HIGH, CRITICAL, MODERATE]))!
  const { unlisted, expired } = check(advisories, [], '2026-12-01')
  t.same(unlisted.map((a) => a.ghsa), ['GHSA-aaaa-bbbb-cccc', 'GHSA-dddd-eeee-ffff'])
  t.same(expired, [])
})

t.test('an allowlisted advisory passes by GHSA or numeric id, for its package only', async (t) => {
  const advisories = advisoriesOf(report([HIGH, CRITICAL]))!
  t.same(check(advisories, [entry('GHSA-aaaa-bbbb-cccc', 'left-pad'), entry('1002', 'qs')], '2026-12-01').unlisted, [])
  t.same(
    check(advisories, [entry('GHSA-aaaa-bbbb-cccc', 'right-pad'), entry('1002', 'qs')], '2026-12-01').unlisted.map((a) => a.id),
    ['1001'],
  )
})

t.test('an entry past its until date fails even while its advisory stands; one no longer reported is named', async (t) => {
  const advisories = advisoriesOf(report([HIGH]))!
  const allowlist = [entry('GHSA-aaaa-bbbb-cccc', 'left-pad', '2026-11-30'), entry('GHSA-zzzz-zzzz-zzzz', 'gone', '2026-12-01')]
  const { unlisted, expired, unused } = check(advisories, allowlist, '2026-12-01')
  t.same(unlisted, [], 'still listed')
  t.same(expired.map((e) => e.id), ['GHSA-aaaa-bbbb-cccc'], 'until is the last day it holds')
  t.same(unused.map((e) => e.id), ['GHSA-zzzz-zzzz-zzzz'])
})

t.test('output that is not a report is no report, never a clean one', async (t) => {
  t.equal(advisoriesOf(''), undefined)
  t.equal(advisoriesOf('Error: ERR_PNPM_AUDIT_BAD_RESPONSE'), undefined)
  t.equal(advisoriesOf('{"error":{"code":"ERR_PNPM_AUDIT_BAD_RESPONSE"}}'), undefined)
  t.same(advisoriesOf(report([])), [])
})

t.test("the registry's refusal is named exactly: the bulk advisory endpoint and its HTTP status", async (t) => {
  // pnpm 12's output when the endpoint refuses, box and line wrap included.
  const refused = readFileSync(fileURLToPath(new URL('fixtures/audit-405.txt', import.meta.url)), 'utf8')
  t.equal(
    noReportReason(refused),
    "BLOCKED, not audited: the npm registry's bulk advisory endpoint " +
      '(https://registry.npmjs.org/-/npm/v1/security/advisories/bulk) answered HTTP 405, so pnpm audit has no report. ' +
      'This is no clean result, and this check cannot run in CI until that endpoint answers.',
  )
  t.match(noReportReason('spawnSync pnpm ENOENT'), /^pnpm audit gave no report .*\nspawnSync pnpm ENOENT$/s)
})

t.test('an allowlist entry needs an id, a package, a reason and a real until date', async (t) => {
  t.same(parseAllowlist(JSON.stringify([entry('GHSA-aaaa-bbbb-cccc', 'left-pad')])), [entry('GHSA-aaaa-bbbb-cccc', 'left-pad')])
  t.throws(() => parseAllowlist('{}'), /must be a JSON array/)
  t.throws(() => parseAllowlist(JSON.stringify([{ ...entry('x', 'y'), reason: ' ' }])), /entry 0: id, package and reason are required/)
  t.throws(() => parseAllowlist(JSON.stringify([entry('x', 'y', '2026-02-30')])), /entry 0 \(x\): until must be a date/)
  t.throws(() => parseAllowlist(JSON.stringify([entry('x', 'y', 'next year')])), /until must be a date/)
})

t.test(`the repository's ${ALLOWLIST_FILE} is a valid allowlist`, async (t) => {
  const text = readFileSync(fileURLToPath(new URL(`../${ALLOWLIST_FILE}`, import.meta.url)), 'utf8')
  t.ok(Array.isArray(parseAllowlist(text)))
})
