// The two commands of the README on a fresh checkout, the way they failed for root before:
// a clone in a 0700 folder (as /root/app is), which the postgres user cannot enter.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '@affiliate/shared/net'
import t, { type Test } from 'tap'

const repo = execFileSync('git', ['rev-parse', '--show-toplevel'], {
  cwd: fileURLToPath(new URL('.', import.meta.url)),
  encoding: 'utf8',
}).trim()
const asRoot = process.getuid?.() === 0
const leftovers = () => readdirSync(tmpdir()).filter((name) => /^(pg-password-|affiliate-initdb-)/.test(name))

/** A clone of HEAD in a fresh 0700 folder, installed from the local store. */
function cloneInto0700(t: Test): string {
  const parent = mkdtempSync(path.join(tmpdir(), 'first-run-'))
  t.teardown(() => rmSync(parent, { recursive: true, force: true }))
  const app = path.join(parent, 'app')
  execFileSync('git', ['clone', '--quiet', '--local', repo, app])
  // --prefer-offline, not --offline: pnpm 12's offline mode refuses @tapjs/test ("snapshot not
  // present in local store") although the store has all it needs: this downloads nothing.
  execFileSync('pnpm', ['install', '--prefer-offline', '--frozen-lockfile'], { cwd: app, stdio: 'ignore' })
  return app
}

/** `pnpm start` as a terminal runs it: the leader of its own foreground group. */
function pnpmStart(cwd: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn('pnpm', ['start'], { cwd, env: { ...process.env, ...env }, detached: true })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  return { child, output: () => output }
}

async function ports() {
  return {
    INGEST_PORT: String(await freePort()),
    REPORTING_PORT: String(await freePort()),
    WEB_PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  }
}

t.test('as root, from a 0700 folder: pnpm start runs, serves, and stops in order', { skip: !asRoot && 'needs root' }, async (t) => {
  const app = cloneInto0700(t)
  const env = await ports()
  const before = leftovers()
  const { child, output } = pnpmStart(app, env)
  t.teardown(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // already gone
    }
  })
  const exited = once(child, 'exit')
  const up = () => output().includes('Ctrl-C stops everything')
  for (const deadline = Date.now() + 240_000; !up() && child.exitCode === null && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  if (!up()) return t.fail(`pnpm start did not come up:\n${output()}`)
  const dataDir = /data in (\S+)/.exec(output())?.[1]
  t.match(dataDir, /^\/var\/lib\/affiliate-tracker\/[0-9a-f]{12}\/postgres$/, 'the data lives where the postgres user can reach it')
  t.teardown(() => rmSync(path.dirname(dataDir!), { recursive: true, force: true }))
  t.match(output(), /the postgres user cannot reach \S+\/app\/\.data\/postgres/, 'and the runner says why')

  const click = await fetch(`http://127.0.0.1:${env.INGEST_PORT}/click?affiliate_id=1&campaign_id=1&click_id=first-run`, {
    redirect: 'manual',
  })
  t.equal(click.status, 302)
  t.equal(click.headers.get('location'), 'https://shop.example.com/summer?click_id=first-run&src=')

  process.kill(-child.pid!, 'SIGINT')
  await exited
  t.notMatch(output(), /\n\s+at /, 'no stack trace')
  t.notOk(existsSync(path.join(dataDir!, 'postmaster.pid')), 'the database stopped')
  t.ok(existsSync(path.join(dataDir!, 'PG_VERSION')), 'its data is kept for the next start')
  t.same(leftovers(), before, 'no password or scratch file left in the temp folder')
})

t.test('as root, an EMBEDDED_PG_DIR the postgres user cannot reach: one line, exit 1, nothing left', { skip: !asRoot && 'needs root' }, async (t) => {
  const app = cloneInto0700(t)
  const dir = path.join(app, 'elsewhere', 'pg')
  const { child, output } = pnpmStart(app, { ...(await ports()), EMBEDDED_PG_DIR: dir })
  const [code] = await once(child, 'exit')
  t.equal(code, 1)
  t.match(output(), `[start] the postgres user cannot reach ${dir}: choose a folder other users can enter (EMBEDDED_PG_DIR), or set DATABASE_URL`)
  t.notMatch(output(), /\n\s+at /, 'no stack trace')
  t.notOk(existsSync(path.join(app, 'elsewhere')), 'no folder was made')
})
