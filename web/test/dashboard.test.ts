// The dashboard end to end: a fresh database, the real ingest, reporting and web server
// processes, real clicks and postbacks over HTTP, and what Chromium then shows.
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import type { BrowserContext, Page } from 'playwright-core'
import { awayFromMidnight, HUMAN, root, send as sendTo, type Service, startStack, textOf } from './helper.ts'

const LINK_PREVIEW = 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)'

let ingest: Service
let reporting: Service
let webServer: Service
let context: BrowserContext
let page: Page
const pageErrors: string[] = []
const figure = (name: string) => page.getByRole('group', { name, exact: true })

t.before(async () => {
  // "Today" counts the clicks this file makes (it takes ~20 s).
  await awayFromMidnight(t)
  ;({ ingest, reporting, web: webServer, context } = await startStack(t))
  page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error.message))
})

async function click(
  t: Test,
  affiliateId: number,
  campaignId: number,
  clickId: string,
  userAgent = HUMAN,
  sub1 = 'newsletter',
) {
  const query = new URLSearchParams({
    affiliate_id: String(affiliateId),
    campaign_id: String(campaignId),
    click_id: clickId,
    sub1,
  })
  const res = await fetch(`${ingest.url}/click?${query}`, {
    headers: { accept: 'application/json', 'user-agent': userAgent },
  })
  t.equal(res.status, 200, `click ${clickId} stored`)
  t.same(await res.json(), { status: 'success', click_id: clickId })
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const send = (path: string) => sendTo(ingest, path)

async function postback(
  t: Test,
  affiliateId: number,
  clickId: string,
  amount: string,
  extra: Record<string, string> = {},
) {
  const query = new URLSearchParams({
    affiliate_id: String(affiliateId),
    click_id: clickId,
    amount,
    currency: 'USD',
    token: 'demo-token-1',
    ...extra,
  })
  const res = await fetch(`${ingest.url}/postback?${query}`, { headers: { 'user-agent': HUMAN } })
  t.equal(res.status, 200, `postback for ${clickId} stored`)
}

// Affiliate 1: 4 clicks on Summer Sale (campaign 1), 1 on VPN Trial (campaign 2), 1 link
// preview (a bot); 2 approved conversions (25.50 + 10 USD) and 1 pending.
// Affiliate 2: 2 clicks, 1 conversion of 7.25 USD.
t.test('ingest stores real clicks and postbacks', async (t) => {
  for (const id of ['e2e-a1-1', 'e2e-a1-2', 'e2e-a1-3', 'e2e-a1-4']) await click(t, 1, 1, id)
  await click(t, 1, 2, 'e2e-a1-5', HUMAN, 'search')
  await click(t, 1, 1, 'e2e-a1-bot', LINK_PREVIEW)
  await click(t, 2, 1, 'e2e-a2-1')
  await click(t, 2, 1, 'e2e-a2-2')
  await postback(t, 1, 'e2e-a1-1', '25.50', { txn_id: 'order-1001' })
  await postback(t, 1, 'e2e-a1-2', '10')
  await postback(t, 1, 'e2e-a1-3', '5', { status: 'pending' })
  await postback(t, 2, 'e2e-a2-1', '7.25')
})

t.test('the summary shows the clicks and conversions just sent through ingest', async (t) => {
  await page.goto(webServer.url)
  t.match(await textOf(figure('Clicks'), /^Clicks\s+5$/), /5/)
  t.match(await textOf(figure('Conversions'), /^Conversions\s+2$/), /2/)
  t.match(await textOf(figure('Revenue'), /\$35\.50/), /\$35\.50/)
  t.match(await textOf(figure('Conversion rate'), /40%/), /40%/)
  t.match(await textOf(figure('EPC'), /\$7\.10/), /\$7\.10/)
  t.match(await textOf(figure('Bot clicks'), /Bot clicks\s+1\b/), /1/)
  t.match(await textOf(figure('Pending conversions'), /Pending conversions\s+1\b[\s\S]*\$5\.00/), /\$5\.00/)
  t.equal(await page.getByLabel('Affiliate').inputValue(), '1')
  // The main view, settled, for test-artifacts/ (and docs/dashboard.png).
  await page
    .getByRole('region', { name: 'Campaigns' })
    .getByRole('row', { name: /Summer Sale/ })
    .waitFor()
  await page
    .getByRole('region', { name: 'Latest conversions' })
    .getByRole('row', { name: /Summer Sale/ })
    .first()
    .waitFor()
  await page.getByRole('button', { name: 'Refresh', exact: true }).waitFor()
  await mkdir(join(root, 'test-artifacts'), { recursive: true })
  await page.screenshot({ path: join(root, 'test-artifacts', 'dashboard.png'), fullPage: true })
})

t.test('the per-campaign table has a row per campaign, and sorts', async (t) => {
  const campaigns = page.getByRole('region', { name: 'Campaigns' })
  const summer = campaigns.getByRole('row', { name: /Summer Sale/ })
  const cells = (await textOf(summer, /\$35\.50/))
    .split(/\t|\n/)
    .map((s) => s.trim())
    .filter(Boolean)
  t.same(cells, ['Summer Sale', '4', '2', '50%', '$35.50', '$8.88'])
  t.match(await textOf(campaigns.getByRole('row', { name: /VPN Trial/ }), /VPN Trial/), /VPN Trial\s+1\s+0\s+0%/)

  const clicksHeader = campaigns.getByRole('columnheader', { name: 'Clicks' })
  t.equal(await clicksHeader.getAttribute('aria-sort'), 'descending')
  await clicksHeader.getByRole('button').click()
  t.equal(await clicksHeader.getAttribute('aria-sort'), 'ascending')
  t.match(await campaigns.getByRole('row').nth(1).innerText(), /VPN Trial/, 'fewest clicks first')
})

t.test('the postback URL panel shows the affiliate’s URL and copies it', async (t) => {
  const expected = `${ingest.url}/postback?affiliate_id=1&click_id={click_id}&amount={amount}&currency={currency}&token={token}`
  const field = page.getByLabel('Postback URL', { exact: true })
  await field.waitFor()
  t.equal(await field.inputValue(), expected)
  await page.getByRole('button', { name: 'Copy postback URL' }).click()
  await textOf(page.getByRole('button', { name: 'Copy postback URL' }), /Copied/)
  t.equal(await page.evaluate('navigator.clipboard.readText()'), expected)
  t.match(
    await page.getByLabel('Click link', { exact: true }).inputValue(),
    `${ingest.url}/click?affiliate_id=1&campaign_id={campaign_id}`,
  )
})

t.test('latest conversions and the sub-id breakdown show the postbacks', async (t) => {
  const conversions = page.getByRole('region', { name: 'Latest conversions' })
  t.match(
    await textOf(conversions.getByRole('row', { name: /e2e-a1-1/ }), /order-1001/),
    /Summer Sale[\s\S]*approved[\s\S]*\$25\.50/,
  )
  t.match(await textOf(conversions.getByRole('row', { name: /e2e-a1-3/ }), /pending/), /\$5\.00/)
  const breakdown = page.getByRole('region', { name: 'Sub-id breakdown' })
  t.match(await textOf(breakdown.getByRole('row', { name: /newsletter/ }), /\$35\.50/), /newsletter\s+4\s+2\s+50%/)
})

t.test('CSV exports hold the campaign table and every conversion of the range', async (t) => {
  const [campaignsFile] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export campaigns CSV' }).click(),
  ])
  const campaignsCsv = await readFile((await campaignsFile.path())!, 'utf8')
  t.match(
    campaignsCsv,
    /^campaign_id,campaign,clicks,bot_clicks,conversions,pending_conversions,conversion_rate,revenue_USD,epc_USD\r\n/,
  )
  t.match(campaignsCsv, /\r\n1,Summer Sale,4,1,2,1,0\.5,35\.5000,8\.8750\r\n/)

  const [conversionsFile] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export conversions CSV' }).click(),
  ])
  const lines = (await readFile((await conversionsFile.path())!, 'utf8')).trim().split('\r\n')
  t.equal(lines.length, 1 + 3, 'a header and the three conversions of affiliate 1')
  t.match(lines[0], /^timestamp,id,click_id,txn_id,campaign_id,campaign,status,amount,currency/)
  t.ok(lines.some((line) => /e2e-a1-1,order-1001,1,Summer Sale,approved,25\.5000,USD/.test(line)))
})

t.test('a new click appears without a reload (auto-refresh)', async (t) => {
  await click(t, 1, 1, 'e2e-a1-6')
  t.match(await textOf(figure('Clicks'), /^Clicks\s+6$/, 20_000), /6/)
})

t.test('the date range lives in the URL', async (t) => {
  await page.getByRole('button', { name: 'Today' }).click()
  t.match(page.url(), /range=today/)
  t.match(await textOf(figure('Clicks'), /^Clicks\s+6$/), /6/)
  await page.getByRole('heading', { name: 'Clicks and conversions per hour' }).waitFor()
  await page.getByRole('button', { name: 'Daily' }).click()
  t.match(page.url(), /interval=day/)
  await page.getByRole('heading', { name: 'Clicks and conversions per day' }).waitFor()
  await page.getByRole('button', { name: 'Last 30 days' }).click()
  t.match(page.url(), /range=30d/)
  await page.goBack()
  t.match(page.url(), /range=today/)
  t.equal(await page.getByRole('button', { name: 'Today' }).getAttribute('aria-pressed'), 'true')

  const today = new Date().toISOString().slice(0, 10)
  await page.getByRole('button', { name: 'Custom' }).click()
  await page.getByLabel('From').fill(today)
  await page.getByLabel('To', { exact: true }).fill(today)
  await page.getByRole('button', { name: 'Apply' }).click()
  t.match(page.url(), `from=${today}&to=${today}`)
  t.match(await textOf(figure('Clicks'), /^Clicks\s+6$/), /6/)
})

t.test('switching affiliate changes the numbers, and the choice survives a reload', async (t) => {
  await page.getByLabel('Affiliate').selectOption('2')
  t.match(await textOf(figure('Clicks'), /^Clicks\s+2$/), /2/)
  t.match(await textOf(figure('Revenue'), /\$7\.25/), /\$7\.25/)
  t.match(await textOf(figure('Conversions'), /^Conversions\s+1$/), /1/)
  t.equal(
    await page.getByLabel('Postback URL', { exact: true }).inputValue(),
    `${ingest.url}/postback?affiliate_id=2&click_id={click_id}&amount={amount}&currency={currency}&token={token}`,
  )
  await page.reload()
  t.match(await textOf(figure('Clicks'), /^Clicks\s+2$/), /2/)
  t.equal(await page.getByLabel('Affiliate').inputValue(), '2')
  await page.goto(webServer.url) // no ?affiliate=: the stored choice
  t.equal(await page.getByLabel('Affiliate').inputValue(), '2')
})

t.test('keyboard only: a skip link first, then the affiliate picker changes the figures', async (t) => {
  await page.goto(`${webServer.url}/?affiliate=1`)
  await textOf(figure('Clicks'), /^Clicks\s+6$/)
  await page.keyboard.press('Tab')
  t.equal(await page.evaluate('document.activeElement.textContent'), 'Skip to the figures')
  const focusedLabel = () =>
    page.evaluate('document.activeElement.labels?.[0]?.textContent ?? document.activeElement.textContent')
  for (let i = 0; i < 5 && (await focusedLabel()) !== 'Affiliate'; i++) await page.keyboard.press('Tab')
  t.equal(await focusedLabel(), 'Affiliate', 'the picker is reached with Tab')
  await page.keyboard.press('ArrowDown')
  t.match(await textOf(figure('Clicks'), /^Clicks\s+2$/), /2/, 'affiliate 2, chosen with the keyboard')
})

t.test('on a phone-sized screen nothing scrolls sideways', async (t) => {
  await page.setViewportSize({ width: 390, height: 844 })
  await page.reload()
  await textOf(figure('Clicks'), /^Clicks\s+\d+$/)
  await page
    .getByRole('region', { name: 'Campaigns' })
    .getByRole('row', { name: /Summer Sale/ })
    .waitFor()
  t.ok(Number(await page.evaluate('document.documentElement.scrollWidth')) <= 390, 'page width fits 390 px')
  t.ok(await figure('Revenue').isVisible())
  await page.setViewportSize({ width: 1280, height: 900 })
})

t.test('conversions page by page; the CSV export follows the cursor past one API page', async (t) => {
  // Affiliate 3 gets 505 conversions: more than one page of the API's largest (500).
  const ids = Array.from({ length: 505 }, (_, i) => `e2e-a3-${i}`)
  for (let i = 0; i < ids.length; i += 50) {
    const batch = ids.slice(i, i + 50)
    await Promise.all(batch.map((id) => send(`/click?affiliate_id=3&campaign_id=3&click_id=${id}`)))
    await Promise.all(
      batch.map((id) => send(`/postback?affiliate_id=3&click_id=${id}&amount=1&currency=EUR&token=demo-token-3`)),
    )
  }
  await page.goto(`${webServer.url}/?affiliate=3`)
  t.match(await textOf(figure('Conversions'), /^Conversions\s+505$/), /505/)
  const conversions = page.getByRole('region', { name: 'Latest conversions' })
  const rows = conversions.locator('tbody tr')
  await textOf(conversions.getByText('Page 1'), /Page 1/)
  const first = await rows.allInnerTexts()
  t.equal(first.length, 20)
  await conversions.getByRole('button', { name: 'Older' }).click()
  await textOf(conversions.getByText('Page 2'), /Page 2/)
  await textOf(rows.first(), new RegExp(`^(?!${escape(first[0]!)})`))
  const second = await rows.allInnerTexts()
  t.equal(second.length, 20)
  t.same(
    second.filter((row) => first.includes(row)),
    [],
    'no row repeats across pages',
  )
  await conversions.getByRole('button', { name: 'Newer' }).click()
  await textOf(conversions.getByText('Page 1'), /Page 1/)

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    conversions.getByRole('button', { name: 'Export conversions CSV' }).click(),
  ])
  const lines = (await readFile((await download.path())!, 'utf8')).trim().split('\r\n')
  t.equal(lines.length, 1 + 505, 'every conversion of the range, not just the first API page')
  t.equal(new Set(lines.slice(1).map((line) => line.split(',')[2])).size, 505, 'each click_id once')
})

t.test('with the reporting API down the page shows an error state, not a blank page', async (t) => {
  await reporting.stop()
  await page.getByRole('button', { name: /Refresh/ }).click()
  // The figures shown stay, marked stale (dashboard-details.test.ts); a reload has none to keep.
  t.match(await textOf(page.getByRole('alert').first(), /reporting API is unreachable/), /last successful update/)
  t.ok(await page.getByRole('heading', { name: 'Affiliate dashboard' }).isVisible())
  await page.reload()
  t.match(await textOf(page.getByRole('alert').first(), /reporting API is unreachable/), /Could not load the dashboard/)
  t.ok(await page.getByRole('button', { name: 'Try again' }).isVisible(), 'a way to retry')
  t.same(pageErrors, [], 'no uncaught errors in the page')
})
