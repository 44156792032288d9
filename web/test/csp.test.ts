// The Content-Security-Policy in Chromium: the dashboard (and the API reference it proxies)
// loads and is used with no violation reported, while the policy does refuse what it should.
import type { Page } from 'playwright-core'
import t from 'tap'
import { send, type Service, startStack, textOf } from './helper.ts'

let webServer: Service
let page: Page
// CSP errors Chromium writes to its console (the page's own reports: window.cspViolations).
const violations: string[] = []
const figure = (name: string) => page.getByRole('group', { name, exact: true })

// Page code goes in as text: these tests are type-checked without the DOM's types.
const LISTEN = `
  window.cspViolations = []
  document.addEventListener('securitypolicyviolation', (event) =>
    window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI))`
const INJECT = `(() => {
  const script = document.createElement('script')
  script.textContent = 'window.injected = true'
  document.body.append(script) // an allowed inline script would have run by now
  return window.injected === true
})()`

async function reported(): Promise<string[]> {
  return [...((await page.evaluate('window.cspViolations')) as string[]), ...violations]
}

t.before(async () => {
  const stack = await startStack(t)
  webServer = stack.web
  // Something to show: a chart with points, tables with rows.
  for (const id of ['csp-1', 'csp-2', 'csp-3']) await send(stack.ingest, `/click?affiliate_id=1&campaign_id=1&click_id=${id}&sub1=csp`)
  await send(stack.ingest, '/postback?affiliate_id=1&click_id=csp-1&amount=12.5&currency=USD&token=demo-token-1')
  // Listening before any script of the page runs, on every page this context opens.
  await stack.context.addInitScript(LISTEN)
  page = await stack.context.newPage()
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
  })
})

t.test('the dashboard is served with a CSP, and loads and is used with no violation', async (t) => {
  const response = await page.goto(webServer.url)
  t.match(response?.headers()['content-security-policy'], /default-src 'self'.*script-src 'self'.*style-src 'self'/)
  t.match(await textOf(figure('Clicks'), /^Clicks\s+\d+$/), /Clicks/)
  await page.getByRole('heading', { name: /Clicks and conversions per/ }).waitFor()
  await page.locator('.uplot canvas').first().waitFor()

  await page.getByRole('button', { name: 'Daily' }).click()
  await page.getByRole('heading', { name: 'Clicks and conversions per day' }).waitFor()
  await page.getByRole('button', { name: 'Last 30 days' }).click()
  t.match(await textOf(figure('Clicks'), /^Clicks\s+3$/), /3/)
  const campaigns = page.getByRole('region', { name: 'Campaigns' })
  await campaigns.getByRole('columnheader', { name: 'Clicks' }).getByRole('button').click()
  await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export campaigns CSV' }).click()])
  await page.getByLabel('Affiliate').selectOption('2')
  await textOf(figure('Clicks'), /^Clicks\s+0$/)
  await page.reload()
  await textOf(figure('Clicks'), /^Clicks\s+0$/)
  await page.waitForLoadState('networkidle')
  t.same(await reported(), [], 'no CSP violation')
})

// Scalar probes once whether it may compile validators with Function(''), and does without
// when refused: the one violation the page reports, and the reason not to allow 'unsafe-eval'.
const DOCS_KNOWN = /^script-src eval$/

t.test('the API reference, through the dashboard’s proxy, renders under its policy', async (t) => {
  violations.length = 0
  const response = await page.goto(`${webServer.url}/docs`, { waitUntil: 'networkidle' })
  t.match(response?.headers()['content-security-policy'], /script-src 'self' 'sha256-/, 'the reporting service’s page policy')
  await page.getByText('Affiliates for the affiliate picker').first().waitFor()
  t.same(
    (await reported()).filter((line) => !DOCS_KNOWN.test(line)),
    [],
    'no CSP violation but the known ones',
  )
})

t.test('the policy is enforced: an injected inline script is refused and reported', async (t) => {
  violations.length = 0
  await page.goto(webServer.url)
  await textOf(figure('Clicks'), /^Clicks\s+\d+$/)
  const ran = await page.evaluate(INJECT)
  t.equal(ran, false, 'the inline script did not run')
  await page.waitForFunction('window.cspViolations.length > 0')
  const seen = await reported()
  t.match(seen[0], /^script-src-elem inline$/, 'the page saw the violation')
  t.ok(seen.every((line) => /script-src|inline script/.test(line)), 'and nothing else')
})
