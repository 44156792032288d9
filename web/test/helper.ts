// End-to-end plumbing: the real services as child processes on free ports, the dashboard
// built once, and Debian's Chromium driven by playwright-core.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
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

/** Runs `vite build` when web/dist is missing or older than the dashboard's sources. */
export async function buildDashboardIfStale(): Promise<'built' | 'fresh'> {
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
