// AUTH_MODE=key in the browser: the reporting API answers 401, so the dashboard asks for an
// API key; an affiliate's key shows that affiliate only; the key survives a reload.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { createSql } from '@affiliate/shared/db'
import { freePort } from '@affiliate/shared/net'
import { seedDemo } from '@affiliate/shared/seed'
import { createTestDatabase } from '@affiliate/shared/testing'
import type { Page } from 'playwright-core'
import t from 'tap'
import { buildDashboardIfStale, launchBrowser, root, type Service, startService, textOf } from './helper.ts'

let webServer: Service
let page: Page
let key: string

t.before(async () => {
  const databaseUrl = await createTestDatabase(t)
  const sql = createSql(databaseUrl, { max: 1 })
  await seedDemo(sql)
  await sql.end()
  const [reportingPort, webPort] = [await freePort(), await freePort()]
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REPORTING_PORT: String(reportingPort),
    WEB_PORT: String(webPort),
    REPORTING_URL: `http://127.0.0.1:${reportingPort}`,
    AUTH_MODE: 'key',
    LOG_LEVEL: 'warn',
  }
  // The operator's way to make a key: `pnpm apikey create --affiliate 2`; the key is the last line.
  const created = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'services/reporting/src/cli/apikey.ts', 'create', '--affiliate', '2'],
    { cwd: root, env },
  )
  key = created.stdout.trim().split('\n').at(-1)!
  let context
  ;[, , webServer, context] = await Promise.all([
    buildDashboardIfStale(),
    startService(t, 'services/reporting/src/server.ts', reportingPort, env),
    startService(t, 'web/server/server.ts', webPort, env),
    launchBrowser(t),
  ])
  page = await context.newPage()
})

t.test('without a key the dashboard asks for one', async (t) => {
  await page.goto(webServer.url)
  await page.getByRole('heading', { name: 'Sign in' }).waitFor()
  t.ok(await page.getByLabel('API key').isVisible())
  t.equal(await page.getByRole('group', { name: 'Clicks', exact: true }).count(), 0, 'no figures before signing in')
})

t.test('an unknown key is refused', async (t) => {
  await page.getByLabel('API key').fill('not-a-real-key')
  await page.getByRole('button', { name: 'Sign in' }).click()
  t.match(await textOf(page.getByRole('alert'), /not accepted/), /not accepted/)
})

t.test("an affiliate's key shows that affiliate only, and survives a reload", async (t) => {
  await page.getByLabel('API key').fill(key)
  await page.getByLabel('API key').press('Enter')
  t.match(await textOf(page.getByRole('group', { name: 'Clicks', exact: true }), /^Clicks\s+0$/), /0/)
  const picker = page.getByLabel('Affiliate')
  t.same(await picker.locator('option').allInnerTexts(), ['Blue Pixel Partners (#2)'])
  t.notMatch(page.url(), key, 'the key never goes into the URL')
  await page.reload()
  t.equal(await page.getByLabel('Affiliate').inputValue(), '2')
})

t.test("another affiliate's id in the URL: the key's own affiliate is shown, and the URL says so", async (t) => {
  await page.goto(`${webServer.url}/?affiliate=1&range=7d`)
  await page.waitForURL(/[?&]affiliate=2\b/)
  t.equal(await page.getByLabel('Affiliate').inputValue(), '2')
  t.match(page.url(), /range=7d/, 'the rest of the URL is kept')
  await page.goBack()
  t.notMatch(page.url(), /affiliate=1\b/, 'the wrong id was replaced, not kept in the history')
})

t.test('signing out asks for a key again', async (t) => {
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByRole('heading', { name: 'Sign in' }).waitFor()
  t.notMatch(await page.evaluate('JSON.stringify(localStorage)'), key, 'the key is gone from storage')
})
