/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// What a new user stumbled on, checked in Chromium on the real system: the chart's time axis at
// every range and width, the series ending at the current hour, the legend at rest, the offers
// with ready click links, a wrong affiliate in the URL, money and plurals, wide tables on a
// phone, words that break mid-word, the range picker, the layout at 1440 px, and figures kept
// (marked stale) when a refresh fails.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import t from 'tap'
import { awayFromMidnight, root, send, type Stack, startStack, textOf } from './helper.ts'

let stack: Stack
let page: Page
const pageErrors: string[] = []
const figure = (name: string) => page.getByRole('group', { name, exact: true })
const WIDE = { width: 1440, height: 900 }
const PHONE = { width: 390, height: 844 }

t.before(async () => {
  await awayFromMidnight(t)
  stack = await startStack(t)
  page = await stack.context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error.message))
  // Affiliate 1: 3 clicks on Summer Sale, 1 on VPN Trial; 10 USD and 4.55 EUR on Summer Sale.
  // Affiliate 2: 1 click and 1 conversion. Affiliate 3: nothing at all.
  for (const [id, campaign] of [
    ['dd-1', 1],
    ['dd-2', 1],
    ['dd-3', 1],
    ['dd-4', 2],
  ] as const) {
    await send(stack.ingest, `/click?affiliate_id=1&campaign_id=${campaign}&click_id=${id}&sub1=newsletter`)
  }
  await send(stack.ingest, '/click?affiliate_id=2&campaign_id=1&click_id=dd-5')
  const postback = (click: string, affiliate: number, amount: string, currency: string) =>
    send(
      stack.ingest,
      `/postback?affiliate_id=${affiliate}&click_id=${click}&amount=${amount}&currency=${currency}&token=demo-token-1`,
    )
  await postback('dd-1', 1, '10', 'USD')
  await postback('dd-2', 1, '4.55', 'EUR')
  await postback('dd-5', 2, '7.25', 'USD')
})

async function open(query: string, viewport = WIDE) {
  await page.setViewportSize(viewport)
  await page.goto(`${stack.web.url}/?${query}`)
}

interface Tick {
  t: number
  label: string
  /** Left and right edge of the widest line, and the chart's width, in CSS pixels. */
  left: number
  right: number
  width: number
}

/** The x labels as uPlot drew them, once the chart has drawn, each with its measured extent. */
async function drawnTicks(interval: 'hour' | 'day'): Promise<Tick[]> {
  const chart = page
    .getByRole('region', { name: `Clicks and conversions per ${interval}` })
    .locator('[data-ticks]')
  await chart.waitFor({ state: 'attached' })
  return chart.evaluate((element: HTMLElement) => {
    const { font, ticks } = JSON.parse(element.dataset.ticks!) as {
      font: string
      ticks: { t: number; label: string; x: number }[]
    }
    const context = document.createElement('canvas').getContext('2d')!
    context.font = font
    return ticks.map((tick) => {
      const half = Math.max(...tick.label.split('\n').map((line) => context.measureText(line).width)) / 2
      return { t: tick.t, label: tick.label, left: tick.x - half, right: tick.x + half, width: element.clientWidth }
    })
  })
}

const monthDay = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' })

for (const viewport of [WIDE, PHONE]) {
  for (const range of ['today', '7d', '30d'] as const) {
    for (const interval of ['hour', 'day'] as const) {
      const name = `${range} ${interval === 'hour' ? 'hourly' : 'daily'} at ${viewport.width} px`
      t.test(`${name}: dated x labels that fit side by side`, async (t) => {
        await open(`affiliate=1&range=${range}&interval=${interval}`, viewport)
        const ticks = await drawnTicks(interval)
        const days = range === 'today' ? 1 : range === '7d' ? 7 : 30
        t.ok(ticks.length >= (days === 1 && interval === 'day' ? 1 : 2), `${ticks.length} labels`, { ticks })
        let previousDay: string | undefined
        for (const [i, tick] of ticks.entries()) {
          t.ok(tick.label.trim().length > 0, `label ${i} has text`)
          const day = new Date(tick.t * 1000).toISOString().slice(0, 10)
          if (day !== previousDay) {
            t.ok(tick.label.includes(monthDay.format(tick.t * 1000)), `"${tick.label}" names its day ${day}`)
          }
          previousDay = day
          t.ok(tick.left >= 0 && tick.right <= tick.width, `"${tick.label}" is inside the chart`, { tick })
          const next = ticks[i + 1]
          if (next) t.ok(tick.right + 4 <= next.left, `"${tick.label}" and "${next.label}" do not overlap`, { tick, next })
        }
      })
    }
  }
}

t.test("Today's hourly series ends at the current hour: the hours to come are not zeros", async (t) => {
  const hourBefore = new Date().getUTCHours()
  await open('affiliate=1&range=today&interval=hour')
  const chart = page.getByRole('region', { name: 'Clicks and conversions per hour' })
  await chart.getByText('Show as table').click()
  const rows = chart.locator('details tbody tr')
  await rows.first().waitFor()
  const hours = await rows.count()
  const hourAfter = new Date().getUTCHours()
  t.ok(hours === hourBefore + 1 || hours === hourAfter + 1, `${hours} hours listed at ${hourBefore}:xx UTC`)
  // en-US in Chromium puts a narrow no-break space before AM/PM: \s matches it.
  t.match(await rows.last().innerText(), new RegExp(`${(hours - 1) % 12 || 12}:00\\s${hours - 1 < 12 ? 'AM' : 'PM'}`))
  t.match(await chart.locator('figcaption').textContent(), `in ${hours} hour${hours === 1 ? '' : 's'}.`)
})

t.test("the legend shows the range's totals when the pointer is not on the chart", async (t) => {
  await open('affiliate=1&range=7d&interval=day')
  const chart = page.getByRole('region', { name: 'Clicks and conversions per day' })
  const values = chart.locator('.u-legend .u-value')
  const range = /^[A-Z][a-z]{2} \d{1,2}\s*–\s*([A-Z][a-z]{2} )?\d{1,2}, \d{4} \(total\)$/
  t.match(await textOf(values.nth(0), /\(total\)$/), range, 'the days of the range')
  t.same(await values.allInnerTexts(), [await values.nth(0).innerText(), '4', '2'])
  const over = chart.locator('.u-over')
  const box = (await over.boundingBox())!
  await page.mouse.move(box.x + box.width - 5, box.y + box.height / 2)
  t.notMatch(await textOf(values.nth(0), /^(?!.*total)/), /total/, 'a bucket while hovering')
  await page.mouse.move(box.x + box.width / 2, box.y + box.height + 150)
  t.match(await textOf(values.nth(0), /\(total\)$/), /total/, 'the totals again after leaving')
})

t.test('the offers list every campaign with a working click link to copy, and explain &sub1=', async (t) => {
  await open('affiliate=3')
  const offers = page.getByRole('region', { name: 'Your offers' })
  const names = ['Summer Sale', 'VPN Trial', 'Meal Kit']
  for (const [i, name] of names.entries()) {
    const link = `${stack.ingest.url}/click?affiliate_id=3&campaign_id=${i + 1}`
    const field = offers.getByLabel(name, { exact: true })
    await field.waitFor()
    t.equal(await field.inputValue(), link, `${name}, for an affiliate without any traffic`)
  }
  t.match(await offers.innerText(), /&sub1=newsletter/)
  await offers.getByRole('button', { name: 'Copy the click link of Meal Kit' }).click()
  await textOf(offers.getByRole('button', { name: 'Copy the click link of Meal Kit' }), /Copied/)
  const copied = String(await page.evaluate('navigator.clipboard.readText()'))
  t.equal(copied, `${stack.ingest.url}/click?affiliate_id=3&campaign_id=3`)
  const res = await fetch(`${copied}&sub1=offers-test`, { redirect: 'manual' })
  t.equal(res.status, 302, 'the copied link, with a sub1, is a click')
  t.match(res.headers.get('location'), /^https:\/\/meals\.example\.org\/start\?ref=aff3(&|$)/)
})

t.test('an affiliate id that does not exist shows a not-found state, not someone else', async (t) => {
  await open('affiliate=999')
  await page.getByRole('heading', { name: 'Affiliate not found' }).waitFor()
  t.match(await page.locator('main').innerText(), /no affiliate #999/)
  t.equal(await figure('Clicks').count(), 0, 'no figures of another affiliate')
  t.match(page.url(), /affiliate=999/, 'the URL still says what was asked for')
  await page.getByLabel('Affiliate', { exact: true }).selectOption('2')
  t.match(await textOf(figure('Clicks'), /^Clicks\s+1$/), /1/)
  t.match(page.url(), /affiliate=2/)
})

t.test('money has its currency’s decimals everywhere, and a count of one is singular', async (t) => {
  await open('affiliate=1')
  const epc = await textOf(figure('EPC'), /€/)
  t.match(epc, /\$2\.50/)
  t.match(epc, /€1\.14/)
  const summer = page.getByRole('region', { name: 'Campaigns' }).getByRole('row', { name: /Summer Sale/ })
  const row = await textOf(summer, /€4\.55/)
  t.match(row, /\$3\.33/, 'EPC of 10 USD over 3 clicks')
  t.match(row, /€1\.52/, 'EPC of 4.55 EUR over 3 clicks')
  await page.getByRole('region', { name: 'Latest conversions' }).getByRole('row', { name: /dd-2/ }).waitFor()
  const money = (await page.locator('main').innerText()).match(/[$€][\d,]+(\.\d+)?/g) ?? []
  t.ok(money.length >= 8, `${money.length} amounts on the page`)
  t.same(
    money.filter((m) => !/\.\d{2}$/.test(m)),
    [],
    'every amount with two decimals',
  )

  await open('affiliate=2')
  await textOf(figure('Conversions'), /^Conversions\s+1$/)
  const caption = page.getByRole('region', { name: /Clicks and conversions per/ }).locator('figcaption')
  await caption.waitFor({ state: 'attached' })
  t.match(await caption.textContent(), /: 1 click and 1 conversion in 7 days\./)
})

/** Letter runs that the browser laid out across two lines (a mid-word break), in `main`. */
function wordsBrokenMidWord(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = []
    const walker = document.createTreeWalker(document.querySelector('main')!, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent!.matchAll(/\p{L}{2,}/gu)) {
        const range = document.createRange()
        range.setStart(node, match.index)
        range.setEnd(node, match.index + match[0].length)
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)))
        if (lines.size > 1) broken.push(match[0])
      }
    }
    return broken
  })
}

t.test('on a phone, wide tables scroll sideways inside their panel and say so', async (t) => {
  await open('affiliate=1', PHONE)
  for (const [panel, lastColumn] of [
    ['Campaigns', 'EPC'],
    ['Latest conversions', 'Amount'],
  ] as const) {
    const region = page.getByRole('region', { name: panel })
    await region.locator('tbody tr').first().waitFor()
    const scroller = region.locator('table').locator('..')
    const header = region.getByRole('columnheader', { name: lastColumn })
    const inside = async () => {
      const [outer, inner] = [(await scroller.boundingBox())!, (await header.boundingBox())!]
      return inner.x + inner.width <= outer.x + outer.width + 1
    }
    t.notOk(await inside(), `${panel}: ${lastColumn} starts out of sight`)
    t.ok(await region.getByText('Scroll sideways for more columns').isVisible(), `${panel}: a hint says so`)
    t.ok(await region.locator('[data-scroll-cue="right"]').isVisible(), `${panel}: a fade marks the right edge`)
    await scroller.evaluate((element) => element.scrollTo({ left: element.scrollWidth }))
    await region.locator('[data-scroll-cue="left"]').waitFor()
    t.ok(await inside(), `${panel}: ${lastColumn} is reached by scrolling`)
    t.equal(await region.locator('[data-scroll-cue="right"]').count(), 0, `${panel}: nothing more to the right`)
  }
  t.ok(Number(await page.evaluate('document.documentElement.scrollWidth')) <= PHONE.width, 'the page itself fits')
  await mkdir(join(root, 'test-artifacts'), { recursive: true })
  await page.screenshot({ path: join(root, 'test-artifacts', 'dashboard-phone.png'), fullPage: true })
})

t.test('no word breaks in the middle, on a phone and at 1440 px', async (t) => {
  for (const viewport of [PHONE, WIDE]) {
    await open('affiliate=1', viewport)
    await page.getByRole('region', { name: 'Your postback URL' }).getByText('{click_id}').waitFor()
    await page.getByRole('region', { name: 'Latest conversions' }).locator('tbody tr').first().waitFor()
    t.same(await wordsBrokenMidWord(page), [], `at ${viewport.width} px`)
  }
})

t.test('with Custom open, only Custom looks selected', async (t) => {
  await open('affiliate=1&range=7d')
  const picker = page.getByRole('group', { name: 'Date range' })
  await picker.getByRole('button', { name: 'Custom' }).click()
  await page.getByLabel('From').waitFor()
  const buttons = picker.getByRole('button').filter({ hasNotText: 'Apply' })
  const states = await buttons.evaluateAll((elements) =>
    elements.map((e) => [e.textContent, e.getAttribute('aria-pressed'), getComputedStyle(e).backgroundColor]),
  )
  const custom = states.find(([name]) => name === 'Custom')!
  t.same(
    states.filter(([, pressed]) => pressed === 'true').map(([name]) => name),
    ['Custom'],
    'pressed',
  )
  t.same(
    states.filter(([, , background]) => background === custom[2]).map(([name]) => name),
    ['Custom'],
    'drawn as selected',
  )
  await picker.getByRole('button', { name: 'Custom' }).click()
  t.equal(await picker.getByRole('button', { name: 'Last 7 days' }).getAttribute('aria-pressed'), 'true', 'closed again')
})

t.test('at 1440 px no panel has a large empty gap beside it', async (t) => {
  await open('affiliate=1')
  await page.getByRole('region', { name: 'Your postback URL' }).getByText('{click_id}').waitFor()
  await page.getByRole('region', { name: 'Latest conversions' }).locator('tbody tr').first().waitFor()
  const gaps = await page.evaluate(() => {
    const main = document.querySelector('main')!
    const content = main.clientWidth - 32
    const panels = [...main.querySelectorAll('section')].map((s) => ({
      name: s.querySelector('h2')?.textContent ?? '',
      box: s.getBoundingClientRect(),
    }))
    // For each panel narrower than the page: how much of its height has no panel beside it.
    return panels
      .filter((p) => p.box.width < content - 40)
      .map((p) => {
        const beside = panels
          .filter((o) => o !== p && (o.box.right <= p.box.left || o.box.left >= p.box.right))
          .map((o) => [Math.max(o.box.top, p.box.top), Math.min(o.box.bottom, p.box.bottom)] as const)
          .filter(([top, bottom]) => bottom > top)
          .sort((a, b) => a[0] - b[0])
        let covered = 0
        let reached = p.box.top
        for (const [top, bottom] of beside) {
          covered += Math.max(0, bottom - Math.max(top, reached))
          reached = Math.max(reached, bottom)
        }
        return { name: p.name, empty: Math.round(p.box.height - covered) }
      })
      .filter((p) => p.empty > 100)
  })
  t.same(gaps, [], 'panels side by side end together')
  await page.screenshot({ path: join(root, 'test-artifacts', 'dashboard-wide.png'), fullPage: true })
})

t.test('a failed refresh keeps the figures, marks them stale once, and names the time of the last success', async (t) => {
  await open('affiliate=1')
  t.match(await textOf(figure('Clicks'), /^Clicks\s+4$/), /4/)
  await page.getByRole('region', { name: 'Latest conversions' }).locator('tbody tr').first().waitFor()
  await stack.reporting.stop()
  await page.getByRole('button', { name: 'Refresh', exact: true }).click()
  const alert = page.getByRole('alert')
  const text = await textOf(alert, /reporting API is unreachable/)
  t.match(text, /from \d{1,2}:\d{2}:\d{2}\s[AP]M, the last successful update/)
  t.equal(await alert.count(), 1, 'said once')
  t.match(await figure('Clicks').innerText(), /^Clicks\s+4$/, 'the figures stay')
  t.match(await page.getByRole('region', { name: 'Campaigns' }).innerText(), /Summer Sale/)
  t.match(await page.getByRole('region', { name: 'Latest conversions' }).innerText(), /dd-1/)
  t.notMatch(await page.locator('main').innerText(), /Could not load/)
  t.match(await page.locator('header').innerText(), /Offline[\s\S]*Last updated \d{1,2}:\d{2}/)
  t.same(pageErrors, [], 'no uncaught errors in the page')
})
