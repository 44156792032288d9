// The benches' child processes: the load generator (load.ts) and waiting for a server to listen.
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { LoadJob, LoadOutput } from './load.ts'

const loadGenerator = fileURLToPath(new URL('load.ts', import.meta.url))

/** Runs one load job in its own process (added to `children`, to be killed on the way out). */
export function load(job: LoadJob, children: ChildProcess[]): Promise<LoadOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', loadGenerator, JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    children.push(child)
    let out = ''
    child.stdout!.on('data', (chunk) => (out += chunk))
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as LoadOutput) : reject(new Error(`load generator exited ${code}`)),
    )
  })
}

export async function waitForPort(url: string) {
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(url)
      return
    } catch {
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  throw new Error(`${url} did not start`)
}
