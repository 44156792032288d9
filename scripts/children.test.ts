import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '@affiliate/shared/net'
import t, { type Test } from 'tap'

const root = fileURLToPath(new URL('..', import.meta.url))
const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [])

async function until(what: string, done: () => boolean | Promise<boolean>, seconds = 20) {
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

/** The supervisor over two services, leading its own process group as `pnpm start` does in a terminal. */
async function startSupervisor(t: Test) {
  const record = join(mkdtempSync(join(tmpdir(), 'supervise-')), 'record')
  const ports = [await freePort(), await freePort()]
  const supervisor = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'scripts/fixtures/supervisor.ts'), record, ...ports.map(String)],
    { cwd: root, detached: true, stdio: 'ignore' },
  )
  const exited = new Promise<number | null>((resolve) => supervisor.once('exit', (code) => resolve(code)))
  // Whatever a failed test leaves running: the supervisor and the services (by their pid files).
  t.teardown(() => {
    for (const pid of [supervisor.pid!, ...[0, 1].flatMap((i) => lines(`${record}.${i}.pid`).map(Number))]) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  })
  await until('both services answer', () => lines(record).includes('ready'))
  return { record, ports, supervisor, exited }
}

t.test('Ctrl-C in a terminal: every service is sent one SIGTERM and closes, then the supervisor stops', async (t) => {
  const { record, ports, supervisor, exited } = await startSupervisor(t)
  // A terminal sends Ctrl-C's SIGINT to its whole foreground process group.
  process.kill(-supervisor.pid!, 'SIGINT')
  t.equal(await exited, 0)
  for (const i of [0, 1]) t.same(lines(`${record}.${i}`), ['signal SIGTERM', 'closed'], `service ${i}`)
  t.same(lines(record), ['ready', 'after stop'], 'the database is stopped after the services')
  for (const port of ports) t.notOk(await answers(port))
})

t.test('a supervisor killed outright leaves no service running: each closes gracefully', async (t) => {
  const { record, ports, supervisor, exited } = await startSupervisor(t)
  supervisor.kill('SIGKILL')
  await exited
  for (const i of [0, 1]) await until(`service ${i} closed`, () => lines(`${record}.${i}`).includes('closed'))
  for (const port of ports) await until(`port ${port} is free`, async () => !(await answers(port)))
  for (const i of [0, 1]) t.same(lines(`${record}.${i}`), ['closed'], `service ${i}`)
})
