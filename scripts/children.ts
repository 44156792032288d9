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
  // Each child leads its own process group, so a terminal's Ctrl-C (sent to the whole
  // foreground group) reaches only this supervisor, which then sends each child one SIGTERM.
  // Were they in the terminal's group, a closing service would get our SIGTERM as a second
  // signal, which means "exit now" — before its in-flight writes commit. Out of that group
  // a child must not read the terminal (it would be stopped), hence no stdin. The IPC
  // channel tells a child when this process is gone without stopping it (see http's serve).
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
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

/**
 * Runs `specs` as one system: starts them, waits until every `readyUrls` answers, and on
 * SIGINT/SIGTERM/SIGHUP — or when any child exits on its own — stops them all, then calls
 * `afterStop` (which stops the database) and exits. Resolves once everything is ready.
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
  // Ctrl-C, SIGTERM, or a closed terminal (SIGHUP): the children, in groups of their own,
  // heard none of them.
  for (const signal of STOP_SIGNALS) process.on(signal, () => void stop(0))
  try {
    await Promise.all(options.readyUrls.map((url) => waitForOk(url)))
  } catch (error) {
    options.log((error as Error).message)
    await stop(1)
  }
}
