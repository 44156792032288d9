// The local runners' supervisor, with real processes: a runner (scripts/fixtures/runner.ts,
// built like start.ts), two services under serve(), and a stand-in database in a session of
// its own, as pg_ctl starts the embedded one.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '@affiliate/shared/net'
import t, { type Test } from 'tap'

const root = fileURLToPath(new URL('..', import.meta.url))
const SERVICES = ['service 0', 'service 1']
const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [])

async function until(what: string, done: () => boolean | Promise<boolean>, seconds = 120) {
  for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline; ) {
    if (await done()) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`timed out waiting until ${what}`)
}

const answers = (port: number) =>
  fetch(`http://127.0.0.1:${port}/healthz`).then(
    () => true,
    () => false,
  )

function kill(pid: number) {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

/** Starts the runner as a terminal would: leading the foreground process group. */
async function startRunner(t: Test, env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'runner-'))
  const record = join(dir, 'record')
  const ports = [await freePort(), await freePort(), await freePort()]
  const terminal = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'scripts/fixtures/runner.ts'), record, ...ports.map(String)],
    { cwd: root, detached: true, stdio: 'ignore', env: { ...process.env, ...env } },
  )
  let code: number | null | undefined
  terminal.once('exit', (exitCode) => (code = exitCode))
  // Whatever a failed test leaves running, by the pid files every process writes.
  t.teardown(() => {
    kill(terminal.pid!)
    for (const file of readdirSync(dir).filter((name) => name.startsWith('record.pid.'))) {
      kill(Number(readFileSync(join(dir, file), 'utf8')))
    }
  })
  return {
    record,
    ports,
    terminal,
    ready: () => until('everything answers', () => lines(record).includes('runner: ready')),
    pid: (name: string) => Number(readFileSync(`${record}.pid.${name}`, 'utf8')),
    exitCode: async () => {
      await until('the runner exits', () => code !== undefined)
      return code
    },
    /** What one process noted, in order. */
    of: (name: string) =>
      lines(record)
        .filter((line) => line.startsWith(`${name}: `))
        .map((line) => line.slice(name.length + 2)),
  }
}

type Run = Awaited<ReturnType<typeof startRunner>>

function assertOrderlyStop(t: Test, run: Run, services = SERVICES) {
  for (const name of services) t.same(run.of(name).slice(-2), ['signal SIGTERM', 'closed'], `${name}: one SIGTERM, then closed`)
  t.same(run.of('database'), ['started', 'signal SIGINT', 'closed'], 'the database: one SIGINT, from the runner')
  const log = lines(run.record)
  const lastServiceClosed = Math.max(...services.map((name) => log.lastIndexOf(`${name}: closed`)))
  t.ok(log.indexOf('database: signal SIGINT') > lastServiceClosed, 'the database is stopped after the services closed')
  t.equal(log.at(-1), 'runner: database stopped')
}

for (const signal of ['SIGINT', 'SIGHUP', 'SIGTERM'] as const) {
  const what = { SIGINT: 'Ctrl-C in a terminal', SIGHUP: 'the terminal closed', SIGTERM: 'kill' }[signal]
  t.test(`${what} (${signal} to the foreground group): the services close, then the database stops, exit 0`, async (t) => {
    const run = await startRunner(t)
    await run.ready()
    // A terminal signals every process of its foreground group; the services and the
    // database are in groups of their own, so only the runner hears it.
    process.kill(-run.terminal.pid!, signal)
    t.equal(await run.exitCode(), 0)
    assertOrderlyStop(t, run)
    for (const name of SERVICES) t.same(run.of(name), ['started', 'signal SIGTERM', 'closed'], `${name}: started once`)
    for (const port of run.ports) t.notOk(await answers(port), `port ${port} is closed`)
  })
}

t.test('the runner killed outright: the services notice and close gracefully', async (t) => {
  const run = await startRunner(t)
  await run.ready()
  kill(run.terminal.pid!)
  for (const name of SERVICES) await until(`${name} closed`, () => run.of(name).includes('closed'))
  for (const name of SERVICES) t.same(run.of(name), ['started', 'closed'], `${name}: closed, no signal needed`)
  for (const port of run.ports.slice(1)) await until(`port ${port} is closed`, async () => !(await answers(port)))
  t.same(run.of('database'), ['started'], 'the database is left running for the next runner to take over')
})

t.test('a service that exits is restarted, and Ctrl-C still stops everything in order', async (t) => {
  const run = await startRunner(t)
  await run.ready()
  const first = run.pid('service 0')
  kill(first)
  await until('service 0 is back', async () => run.of('service 0').length === 2 && (await answers(run.ports[1]!)))
  t.not(run.pid('service 0'), first, 'a new process')
  t.ok(
    lines(run.record).some((line) => /^runner: service 0 exited on SIGKILL; restarting it in \d+ ms$/.test(line)),
    'the restart is logged',
  )
  process.kill(-run.terminal.pid!, 'SIGINT')
  t.equal(await run.exitCode(), 0)
  assertOrderlyStop(t, run)
  t.same(run.of('service 0'), ['started', 'started', 'signal SIGTERM', 'closed'])
})

t.test('a service in a crash loop: after 5 restarts within 60 s everything stops, exit 1', async (t) => {
  const run = await startRunner(t, { CRASH_SERVICE_1: '1' })
  t.equal(await run.exitCode(), 1)
  t.same(run.of('service 1'), Array(6).fill('started'), 'started, then restarted 5 times')
  t.ok(
    lines(run.record).includes('runner: service 1 exited with code 1 after 5 restarts within 60 s; stopping everything'),
    'the reason is logged',
  )
  assertOrderlyStop(t, run, ['service 0'])
})
