// /docs as a browser sees it with no internet: the reporting app on a real socket and
// Debian's Chromium, every request that would leave this machine recorded and aborted.
import { type Browser, chromium } from 'playwright-core'
import t, { type Test } from 'tap'
import { build } from './helper.ts'

// Scalar's own offers (its toolbar, AI agent, SDK and MCP generators), and the download and
// client buttons we turned off.
const HIDDEN = [
  /\bDeploy\b/,
  /Generate SDK/,
  /\bAsk AI\b/,
  /\bShare\b/,
  /\bMCP\b/,
  /Developer Tools/,
  /Download OpenAPI/,
  /Open API Client/,
]

async function launchBrowser(t: Test): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  })
  t.teardown(() => browser.close())
  return browser
}

const isLocal = (url: URL) =>
  url.protocol === 'data:' || url.protocol === 'blob:' || ['127.0.0.1', 'localhost'].includes(url.hostname)

t.test('GET /docs loads nothing from outside, logs no error, and is titled and iconed as ours', async (t) => {
  const { app } = await build(t)
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  const page = await (await launchBrowser(t)).newPage()

  // Recorded on the request event, so nothing slips past; aborted by the route, so nothing leaves.
  const outside = new Set<string>()
  const errors: string[] = []
  page.on('request', (request) => {
    if (!isLocal(new URL(request.url()))) outside.add(request.url())
  })
  await page.route('**/*', (route) =>
    isLocal(new URL(route.request().url())) ? route.continue() : route.abort('internetdisconnected'),
  )
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
  page.on('pageerror', (error) => errors.push(error.message))

  await page.goto(`${base}/docs`, { waitUntil: 'networkidle' })
  await page.getByText('Affiliates for the affiliate picker').first().waitFor()
  await page.waitForLoadState('networkidle')

  t.equal(new URL(page.url()).pathname, '/docs/', '/docs redirects to /docs/')
  t.same([...outside], [], 'no request left 127.0.0.1')
  t.same(errors, [], 'no console error')
  t.equal(await page.title(), 'Affiliate tracker — Reporting API', 'our title')

  const text = await page.locator('body').innerText()
  for (const label of HIDDEN) t.notMatch(text, label, `no ${label.source} button`)

  const icon = await page.locator('link[rel~="icon"]').first().getAttribute('href')
  t.ok(icon, 'the page names a favicon')
  const favicon = await fetch(new URL(icon!, page.url()))
  t.equal(favicon.status, 200, 'the favicon answers')
  t.match(favicon.headers.get('content-type'), /^image\/svg\+xml/, 'an SVG')

  // Its request client talks to this server directly, never through a vendor's proxy.
  await page.getByRole('button', { name: /Test Request/ }).first().click()
  const [answer] = await Promise.all([
    page.waitForResponse((response) => new URL(response.url()).pathname === '/api/affiliates'),
    page.getByRole('button', { name: /^Send get request/ }).first().click(),
  ])
  t.equal(answer.status(), 200, 'Test Request reaches this server')
  await page.waitForLoadState('networkidle')
  t.same([...outside], [], 'still no request left 127.0.0.1')
  t.same(errors, [], 'still no console error')
})
