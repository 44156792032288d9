// The local runners' process handling, with real processes: a runner (scripts/fixtures/
// runner.ts, built like start.ts), two services under serve(), and a stand-in database.
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

async function until(what: string, done: () => boolean | Promise<boolean>, seconds = 30) {
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
async function startRunner(t: Test) {
  const dir = mkdtempSync(join(tmpdir(), 'runner-'))
  const record = join(dir, 'record')
  const ports = [await freePort(), await freePort(), await freePort()]
  const terminal = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'scripts/fixtures/runner.ts'), record, ...ports.map(String)],
    { cwd: root, detached: true, stdio: 'ignore' },
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
  await until('everything answers', () => lines(record).includes('runner: ready'))
  return {
    record,
    ports,
    terminal,
    pid: (name: string) => Number(readFileSync(`${record}.pid.${name}`, 'utf8')),
    exitCode: async () => {
      await until('the process the terminal started exits', () => code !== undefined)
      return code
    },
    /** What one process noted, in order. */
    of: (name: string) =>
      lines(record)
        .filter((line) => line.startsWith(`${name}: `))
        .map((line) => line.slice(name.length + 2)),
  }
}

function assertOrderlyStop(t: Test, run: Awaited<ReturnType<typeof startRunner>>) {
  for (const name of SERVICES) t.same(run.of(name), ['signal SIGTERM', 'closed'], `${name}: one SIGTERM, then closed`)
  t.same(run.of('database'), ['signal SIGINT', 'closed'], 'the database: one SIGINT, from the runner')
  const log = lines(run.record)
  const lastServiceClosed = Math.max(...SERVICES.map((name) => log.indexOf(`${name}: closed`)))
  t.ok(log.indexOf('database: signal SIGINT') > lastServiceClosed, 'the database is stopped after both services closed')
  t.equal(log.at(-1), 'runner: database stopped')
}

t.test('Ctrl-C in a terminal: the services close, then the database stops, and the runner exits 0', async (t) => {
  const run = await startRunner(t)
  // A terminal sends Ctrl-C's SIGINT to every process of its foreground group.
  process.kill(-run.terminal.pid!, 'SIGINT')
  t.equal(await run.exitCode(), 0)
  assertOrderlyStop(t, run)
  for (const port of run.ports) t.notOk(await answers(port), `port ${port} is closed`)
})

t.test('the process the terminal started, killed outright: the runner still stops everything in order', async (t) => {
  const run = await startRunner(t)
  run.terminal.kill('SIGKILL')
  await until('the runner has stopped the database', () => lines(run.record).includes('runner: database stopped'))
  assertOrderlyStop(t, run)
})

t.test('the runner killed outright: the services notice and close gracefully', async (t) => {
  const run = await startRunner(t)
  kill(run.pid('runner'))
  t.equal(await run.exitCode(), 1, 'the terminal sees the runner fail')
  for (const name of SERVICES) await until(`${name} closed`, () => run.of(name).includes('closed'))
  for (const name of SERVICES) t.same(run.of(name), ['closed'], `${name}: closed, no signal needed`)
  for (const port of run.ports.slice(1)) await until(`port ${port} is closed`, async () => !(await answers(port)))
})
