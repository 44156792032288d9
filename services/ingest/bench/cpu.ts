// CPU time of the processes in a measurement, from Linux's /proc, so that the bench can say
// where the cores went: the server, PostgreSQL (every process of the embedded server: the
// backends, WAL writer, checkpointer…) and the load generator. Elsewhere it reports nothing.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'

export const supported = existsSync('/proc/stat')
const TICKS = supported ? Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100 : 100

interface Stat {
  pid: number
  ppid: number
  comm: string
  /** user + system CPU seconds */
  cpu: number
}

function stat(pid: number | string): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // comm may hold spaces and parentheses: the fields after it start at the last ')'.
    const close = text.lastIndexOf(')')
    const fields = text.slice(close + 2).split(' ')
    return {
      pid: Number(pid),
      ppid: Number(fields[1]),
      comm: text.slice(text.indexOf('(') + 1, close),
      cpu: (Number(fields[11]) + Number(fields[12])) / TICKS,
    }
  } catch {
    return undefined // the process ended in between
  }
}

/** CPU seconds of one process. */
export function processCpu(pid: number): number {
  return stat(pid)?.cpu ?? 0
}

/** CPU seconds of the embedded server: its postmaster and every `postgres` process below it. */
export function postgresCpu(postmaster: number): number {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(stat)
    .filter((s): s is Stat => s !== undefined)
  const children = new Map<number, Stat[]>()
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s])
  let total = processCpu(postmaster)
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      if (child.comm === 'postgres') total += child.cpu
      visit(child.pid)
    }
  }
  visit(postmaster)
  return total
}

/** Seconds the machine's cores ran anything, summed over cores (time stolen by the host is not ours). */
export function machineBusy(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number)
  // user nice system idle iowait irq softirq steal …
  const [user, nice, system, , , irq, softirq] = ticks as number[]
  return (user! + nice! + system! + irq! + softirq!) / TICKS
}
