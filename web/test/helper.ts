// End-to-end plumbing: the real services as child processes on free ports, the dashboard
// built once, and Debian's Chromium driven by playwright-core.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createSql } from '@affiliate/shared/db'
import { freePort } from '@affiliate/shared/net'
import { seedDemo } from '@affiliate/shared/seed'
import { createTestDatabase } from '@affiliate/shared/testing'
import { type BrowserContext, chromium, type Locator } from 'playwright-core'
import type { Test } from 'tap'

export const root = fileURLToPath(new URL('../../', import.meta.url))
const web = join(root, 'web')

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path)
  if (!info.isDirectory()) return info.mtimeMs
  const entries = await readdir(path)
  const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))))
  return Math.max(info.mtimeMs, ...times)
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] })
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`))))
  })
}

const BUILD_LOCK = join(web, 'node_modules', '.dist-build.lock')
/** A lock this old was left by a run that was killed while building. */
const STALE_LOCK_MS = 120_000

/**
 * The browser test files start together: one builds while the others wait, then find web/dist
 * fresh, instead of several `vite build`s emptying and writing the same folder at once.
 */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(BUILD_LOCK)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const age = await stat(BUILD_LOCK).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      )
      if (age > STALE_LOCK_MS) await rm(BUILD_LOCK, { recursive: true, force: true })
      else await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  try {
    return await fn()
  } finally {
    await rm(BUILD_LOCK, { recursive: true, force: true })
  }
}

/** Runs `vite build` when web/dist is missing or older than the dashboard's sources. */
export function buildDashboardIfStale(): Promise<'built' | 'fresh'> {
  return withBuildLock(buildIfStale)
}

async function buildIfStale(): Promise<'built' | 'fresh'> {
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((p) => join(web, p))
  const newest = Math.max(...(await Promise.all(sources.map(newestMtime))))
  const built = await stat(join(web, 'dist', 'index.html')).then(
    (s) => s.mtimeMs,
    () => 0,
  )
  if (built > newest) return 'fresh'
  await run(
    process.execPath,
    [join(web, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'],
    web,
  )
  return 'built'
}

export interface Service {
  url: string
  child: ChildProcess
  /** What the process wrote, for the failure message. */
  output: () => string
  stop: () => Promise<void>
}

/** `node --import tsx <entry>` with `env`, resolved once GET /healthz answers. */
export async function startService(t: Test, entry: string, port: number, env: NodeJS.ProcessEnv): Promise<Service> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  t.teardown(stop)
  const url = `http://127.0.0.1:${port}`
  // Generous: on a loaded 2-core machine a cold tsx start, migrations and a dashboard build overlap.
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return { url, child, output: () => output, stop }
    await new Promise((resolve) => setTimeout(resolve, 150))
  }
  await stop()
  throw new Error(`${entry} did not become healthy on ${url}:\n${output}`)
}

/** Headless Debian Chromium (never a downloaded build) with a fresh profile, closed on teardown. */
export async function launchBrowser(t: Test): Promise<BrowserContext> {
  const profile = await mkdtemp(join(tmpdir(), 'dashboard-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    locale: 'en-US',
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    args: [
      '--lang=en-US',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  })
  t.teardown(async () => {
    await context.close()
    await rm(profile, { recursive: true, force: true })
  })
  return context
}

/** Waits until the locator's visible text matches, and returns it; fails with what it showed instead. */
export async function textOf(locator: Locator, expected: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < deadline) {
    last = await locator.innerText({ timeout: 2_000 }).catch(() => last)
    if (expected.test(last)) return last
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`expected ${expected} but the page showed ${JSON.stringify(last)}`)
}

export interface Stack {
  ingest: Service
  reporting: Service
  web: Service
  context: BrowserContext
}

/**
 * The whole system for a browser test: a fresh database with the demo data, the real ingest,
 * reporting and web server processes on free ports (PUBLIC_INGEST_URL: this ingest), the
 * built dashboard, and Chromium allowed to use the clipboard there.
 */
export async function startStack(t: Test): Promise<Stack> {
  const databaseUrl = await createTestDatabase(t)
  const sql = createSql(databaseUrl, { max: 1 })
  await seedDemo(sql)
  await sql.end()

  const [ingestPort, reportingPort, webPort] = [await freePort(), await freePort(), await freePort()]
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    INGEST_PORT: String(ingestPort),
    REPORTING_PORT: String(reportingPort),
    WEB_PORT: String(webPort),
    REPORTING_URL: `http://127.0.0.1:${reportingPort}`,
    PUBLIC_INGEST_URL: `http://127.0.0.1:${ingestPort}`,
    AUTH_MODE: 'demo',
    CLICK_RATE_LIMIT: '0',
    LOG_LEVEL: 'warn',
  }
  const [, ingest, reporting, web, context] = await Promise.all([
    buildDashboardIfStale(),
    startService(t, 'services/ingest/src/server.ts', ingestPort, env),
    startService(t, 'services/reporting/src/server.ts', reportingPort, env),
    startService(t, 'web/server/server.ts', webPort, env),
    launchBrowser(t),
  ])
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.url })
  return { ingest, reporting, web, context }
}

const DAY_MS = 86_400_000
const MIDNIGHT_MARGIN_MS = 60_000

/**
 * A file whose figures count "Today" must run within one UTC day (they take well under a
 * minute): close to midnight this waits for the new day rather than fail by the clock.
 */
export async function awayFromMidnight(t: Test) {
  const untilMidnight = DAY_MS - (Date.now() % DAY_MS)
  if (untilMidnight >= MIDNIGHT_MARGIN_MS) return
  t.comment(`waiting ${Math.ceil(untilMidnight / 1000)} s for UTC midnight to pass`)
  await new Promise((resolve) => setTimeout(resolve, untilMidnight + 1_000))
}

export const HUMAN = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36'

/** A request to ingest, as a browser would send it, that must be answered 200. */
export async function send(ingest: Service, path: string) {
  const res = await fetch(`${ingest.url}${path}`, { headers: { accept: 'application/json', 'user-agent': HUMAN } })
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`)
}
