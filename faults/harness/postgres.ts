// Faults of the PostgreSQL server behind TEST_DATABASE_URL, which the runner started on this
// machine (scripts/test-faults.ts): stop and continue it, kill it outright, start it again on
// the same data folder and port. Signals reach every process of the server: the postmaster
// and all it forked (backends, checkpointer, WAL writer…). Linux: processes are read from /proc.
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { startEmbedded } from '@affiliate/embedded/server'
import { type Sql, createSql } from '@affiliate/shared/db'

export interface LocalServer {
  dir: string
  port: number
}

/** The data folder and port of the server `url` points at (a superuser sees both). */
export async function localServer(url: string): Promise<LocalServer> {
  const sql = createSql(url, { max: 1, name: 'faults' })
  const [row] = await sql<{ dir: string; port: number }[]>`
    select current_setting('data_directory') as dir, current_setting('port')::int as port`
  await sql.end()
  return row!
}

function parentOf(pid: string): number | undefined {
  try {
    // "pid (command) state ppid …": the command may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  } catch {
    return undefined
  }
}

/** The postmaster and every process it forked. */
export function serverPids(server: LocalServer): number[] {
  const postmaster = Number(readFileSync(path.join(server.dir, 'postmaster.pid'), 'utf8').split('\n')[0])
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && parentOf(entry) === postmaster)
    .map(Number)
  return [postmaster, ...children]
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function signal(pids: number[], name: NodeJS.Signals) {
  for (const pid of pids) if (alive(pid)) process.kill(pid, name)
}

/** SIGSTOP to the whole server: the postmaster first, so that it forks nothing meanwhile. Returns a resume. */
export function pause(server: LocalServer): () => void {
  const [postmaster] = serverPids(server)
  signal([postmaster!], 'SIGSTOP')
  const stopped = serverPids(server)
  signal(stopped, 'SIGSTOP')
  return () => signal(stopped.reverse(), 'SIGCONT')
}

/** kill -9 of every process of the server; resolves when all are gone. */
export async function kill(server: LocalServer): Promise<void> {
  const pids = serverPids(server)
  signal(pids, 'SIGKILL')
  while (pids.some(alive)) await new Promise((resolve) => setTimeout(resolve, 20))
}

/** Starts the server again on its folder and port (crash recovery runs first). */
export async function restart(server: LocalServer): Promise<void> {
  await startEmbedded({ dir: server.dir, port: server.port })
}

/** Terminates the sessions an application opened (pg_terminate_backend); returns how many. */
export async function terminateSessions(sql: Sql, application: string): Promise<number> {
  const rows = await sql`select pg_terminate_backend(pid) from pg_stat_activity
    where application_name = ${application} and pid <> pg_backend_pid()`
  return rows.length
}
