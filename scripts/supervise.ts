// The local runners' supervisor (`pnpm start`, `pnpm dev`): starts the services, waits until
// they answer, restarts one that exits, and stops them all — then the database — on Ctrl-C.
import { type ChildProcess, spawn } from 'node:child_process'

export interface ChildSpec {
  name: string
  command: string
  args: string[]
  cwd: string
  env: NodeJS.ProcessEnv
}

export interface SuperviseOptions {
  readyUrls: string[]
  log: (message: string) => void
  /** Runs once every service has exited: stops the database. */
  afterStop: () => Promise<void>
  /** First restart delay, doubled for each recent restart of the same service (tests shorten it). */
  restartDelayMs?: number
}

/** The signals that stop the whole system: Ctrl-C, `kill`, a closed terminal. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

// A service that keeps exiting is not going to recover by itself: past this, stop everything.
const MAX_RESTARTS = 5
const RESTART_WINDOW_MS = 60_000
const MAX_RESTART_DELAY_MS = 10_000
// close-with-grace gives a service 15 s to finish its writes; past that it is stuck.
const STOP_DEADLINE_MS = 20_000

/**
 * Runs `specs` as one system. Each service leads a process group of its own, so a terminal's
 * Ctrl-C reaches only this process, which then sends each service one SIGTERM (a second
 * signal would make it exit before its writes commit) and stops the database after the last
 * one has closed. A service that exits on its own is restarted with backoff; after
 * MAX_RESTARTS within RESTART_WINDOW_MS everything stops and the runner exits 1. Should this
 * process be killed outright, the services see their IPC channel close and close gracefully.
 * Resolves once every `readyUrls` answers.
 */
export async function supervise(specs: ChildSpec[], options: SuperviseOptions): Promise<void> {
  const { log } = options
  const baseDelay = options.restartDelayMs ?? 500
  const children = new Map<string, ChildProcess>()
  const restarts: { name: string; at: number }[] = []
  const timers = new Set<NodeJS.Timeout>()
  let stopping = false

  const stop = async (code: number) => {
    if (stopping) return
    stopping = true
    for (const timer of timers) clearTimeout(timer)
    await Promise.all([...children.values()].map((child) => stopChild(child, log)))
    await options.afterStop()
    process.exit(code)
  }

  const start = (spec: ChildSpec) => {
    // detached: the leader of a process group of its own, out of the terminal's reach.
    // The IPC channel tells the service when this process is gone (http's serve()).
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    children.set(spec.name, child)
    child.on('exit', (code, signal) => {
      if (stopping) return
      const now = Date.now()
      const recent = restarts.filter((restart) => now - restart.at < RESTART_WINDOW_MS)
      const how = signal ? `on ${signal}` : `with code ${code}`
      if (recent.length >= MAX_RESTARTS) {
        log(`${spec.name} exited ${how} after ${recent.length} restarts within ${RESTART_WINDOW_MS / 1000} s; stopping everything`)
        return void stop(1)
      }
      const delay = Math.min(baseDelay * 2 ** recent.filter((restart) => restart.name === spec.name).length, MAX_RESTART_DELAY_MS)
      log(`${spec.name} exited ${how}; restarting it in ${delay} ms`)
      restarts.push({ name: spec.name, at: now })
      const timer = setTimeout(() => {
        timers.delete(timer)
        start(spec)
      }, delay)
      timers.add(timer)
    })
  }

  for (const signal of STOP_SIGNALS) process.on(signal, () => void stop(0))
  specs.forEach(start)
  try {
    await Promise.all(options.readyUrls.map((url) => waitForOk(url)))
  } catch (error) {
    log((error as Error).message)
    await stop(1)
  }
}

/** Resolves once `url` answers 2xx; rejects after `timeoutMs`. */
async function waitForOk(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`)
}

/** One SIGTERM; SIGKILL to its group only if it is still there after STOP_DEADLINE_MS. */
function stopChild(child: ChildProcess, log: (message: string) => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const deadline = setTimeout(() => {
      log(`pid ${child.pid} did not close within ${STOP_DEADLINE_MS / 1000} s; killing it`)
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // gone meanwhile
      }
    }, STOP_DEADLINE_MS)
    child.once('exit', () => {
      clearTimeout(deadline)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
