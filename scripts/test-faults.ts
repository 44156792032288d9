// `pnpm test:faults`: the fault suite (faults/*.fault.ts) through `pnpm test`'s runner, which
// owns the throwaway embedded PostgreSQL. One scenario at a time (each inflicts faults on that
// server and loads the machine), with an open-file limit high enough for 2,000 connections.
// Prints every scenario's figures at the end and writes them to bench-results/faults-<time>.json.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const only = process.argv.slice(2)
const scenarios = (
  only.length > 0 ? only : readdirSync(path.join(root, 'faults')).filter((f) => f.endsWith('.fault.ts'))
)
  .map((file) => (file.includes('/') ? file : `faults/${file}`))
  .sort()

const scratch = mkdtempSync(path.join(tmpdir(), 'faults-'))
const results = path.join(scratch, 'figures.jsonl')
const started = new Date()
// 2,000 client sockets here and 2,000 accepted ones in ingest: more than the usual soft limit of 1,024.
const script = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"'
const args = ['--import', 'tsx', 'scripts/test.ts', '--jobs=1', '--timeout=300', ...scenarios]
const code = await new Promise<number>((resolve) => {
  const child = spawn('sh', ['-c', script, 'sh', process.execPath, ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FAULTS_RESULTS: results },
  })
  child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)))
})

let figures: Record<string, unknown>[] = []
try {
  figures = readFileSync(results, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
} catch {
  // No scenario got as far as its figures.
}
rmSync(scratch, { recursive: true, force: true })

const seconds = ((Date.now() - started.getTime()) / 1000).toFixed(0)
console.log(`\nfault suite: ${figures.length} scenarios reported figures in ${seconds}s`)
const columns = { requests: 10, acknowledged: 14, stored: 8, lost: 6, doubled: 9, max_latency_ms: 16, peak_rss_mb: 13 }
const line = (first: string, cells: string[]) =>
  console.log(
    first.slice(0, 38).padEnd(40) + cells.map((cell, i) => cell.padStart(Object.values(columns)[i]!)).join(''),
  )
line('scenario', Object.keys(columns))
for (const row of figures.sort((a, b) => String(a.scenario).localeCompare(String(b.scenario)))) {
  line(
    String(row.scenario),
    Object.keys(columns).map((c) => String(row[c] ?? '–')),
  )
}
mkdirSync(path.join(root, 'bench-results'), { recursive: true })
const file = path.join(root, 'bench-results', `faults-${started.toISOString().replace(/[:.]/g, '-')}.json`)
const machine = {
  cores: cpus().length,
  cpu: cpus()[0]?.model,
  memory_gb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
}
writeFileSync(
  file,
  `${JSON.stringify({ at: started.toISOString(), machine, seconds: Number(seconds), exit_code: code, figures }, null, 2)}\n`,
)
console.log(`written to ${path.relative(root, file)}`)
process.exit(code)
