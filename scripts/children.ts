// Child processes for the local runners (`pnpm start`, `pnpm dev`): start them, wait
// until they answer, stop them all.
import { type ChildProcess, spawn } from 'node:child_process'

export interface ChildSpec {
  name: string
  command: string
  args: string[]
  cwd: string
  env: NodeJS.ProcessEnv
}

export function startChild(
  spec: ChildSpec,
  onUnexpectedExit: (name: string, code: number | null) => void,
): ChildProcess {
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: 'inherit' })
  child.on('exit', (code) => onUnexpectedExit(spec.name, code))
  return child
}

/** Resolves once `url` answers 2xx; rejects after `timeoutMs`. */
export async function waitForOk(url: string, timeoutMs = 30_000): Promise<void> {
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
export function stopChildren(children: ChildProcess[]): Promise<void> {
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
