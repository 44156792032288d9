// The ingest service as a child process, as production runs it: `node --import tsx
// services/ingest/src/server.ts` with DATABASE_URL, on a port of its own.
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { freePort } from '@affiliate/shared/net'

const root = fileURLToPath(new URL('../../', import.meta.url))

interface Teardown {
  teardown(fn: () => unknown): void
}

export interface Ingest {
  url: string
  port: number
  child: ChildProcess
  /** Resolves with how it exited, and when. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>
  /** What it wrote, for failure messages. */
  output(): string
  /** Peak resident memory so far (VmHWM), in MB. */
  peakRssMb(): number
  /** Resident memory now (VmRSS), in MB. */
  rssMb(): number
}

/** Starts ingest and resolves once GET /healthz answers; killed on teardown if still running. */
export async function startIngest(
  t: Teardown,
  databaseUrl: string,
  { port, env = {} }: { port?: number; env?: Record<string, string> } = {},
): Promise<Ingest> {
  const listen = port ?? (await freePort())
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/ingest/src/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      INGEST_PORT: String(listen),
      LOG_LEVEL: 'warn',
      CLICK_RATE_LIMIT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  )
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    return exited
  })
  const status = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
    return Number(match?.[1] ?? 0) / 1024
  }
  const ingest: Ingest = {
    url: `http://127.0.0.1:${listen}`,
    port: listen,
    child,
    exited,
    output: () => output,
    peakRssMb: () => status('VmHWM'),
    rssMb: () => status('VmRSS'),
  }
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline && child.exitCode === null) {
    const up = await fetch(`${ingest.url}/healthz`).then(
      (res) => res.ok,
      () => false,
    )
    if (up) return ingest
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  child.kill('SIGKILL')
  throw new Error(`ingest did not become healthy on port ${listen}:\n${output}`)
}

/**
 * The p99 of the time ingest itself spent on its clicks and postbacks (from the request's first
 * byte read to its answer), as the upper bound of its http_request_duration_seconds bucket. Next to
 * the client's latency it tells how long a request waited before ingest read it at all.
 */
export async function inProcessP99Ms(ingest: Ingest): Promise<number> {
  const text = await (await fetch(`${ingest.url}/metrics`)).text()
  const buckets = new Map<number, number>()
  const line = /^http_request_duration_seconds_bucket\{(.*)\} (\d+)$/gm
  for (const [, labels, count] of text.matchAll(line)) {
    if (!/route="\/(click|postback)"/.test(labels!)) continue
    const le = /le="([^"]+)"/.exec(labels!)![1]!
    const bound = le === '+Inf' ? Infinity : Number(le)
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(count))
  }
  const total = buckets.get(Infinity) ?? 0
  const bounds = [...buckets.keys()].sort((a, b) => a - b)
  return (bounds.find((bound) => buckets.get(bound)! >= total * 0.99) ?? Infinity) * 1000
}
