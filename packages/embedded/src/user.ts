// PostgreSQL refuses to run as root, so root runs it as the `postgres` user, made if missing.
// Everything that user executes or writes must then be reachable by it.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'

/** A failure with one line for the operator: its cause and its fix. */
export class EmbeddedError extends Error {
  override name = 'EmbeddedError'
}

export interface RunAs {
  uid: number
  gid: number
}

const USER = 'postgres'

/** Whom the server runs as: undefined when this process is not root. */
export function postgresUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined
  const id = (flag: string) => spawnSync('id', [flag, USER], { encoding: 'utf8' })
  if (id('-u').status !== 0) {
    const group = spawnSync('getent', ['group', USER]).status === 0 ? ['--gid', USER] : ['--user-group']
    const made = spawnSync('useradd', ['--system', ...group, '--no-create-home', '--shell', '/usr/sbin/nologin', USER], {
      encoding: 'utf8',
    })
    if (made.status !== 0) {
      throw new EmbeddedError(
        `PostgreSQL cannot run as root, and creating the ${USER} user failed (${made.stderr?.trim() || made.error?.message}): create it, or set DATABASE_URL`,
      )
    }
  }
  return { uid: Number(id('-u').stdout), gid: Number(id('-g').stdout) }
}

/** Whether `runAs` can enter the nearest existing folder of `dir` (so it can own `dir` below it). */
export function canReach(runAs: RunAs, dir: string): boolean {
  let existing = path.resolve(dir)
  while (!existsSync(existing)) existing = path.dirname(existing)
  return spawnSync('test', ['-x', existing], runAs).status === 0
}
