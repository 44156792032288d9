// `pnpm start`: the whole system on one machine. Starts the embedded PostgreSQL
// (unless DATABASE_URL is set), migrates, seeds demo data into an empty embedded
// database, builds the dashboard, then runs ingest, reporting and web as child
// processes and prints their URLs. Ctrl-C stops everything in order.
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '@affiliate/shared/config'
import { createSql } from '@affiliate/shared/db'
import { openLocalDatabase } from '@affiliate/shared/embedded'
import { migrate } from '@affiliate/shared/migrate'
import { seedDemo } from '@affiliate/shared/seed'

const root = fileURLToPath(new URL('..', import.meta.url))
const config = loadConfig()
const log = (message: string) => console.log(`[start] ${message}`)

const database = await openLocalDatabase({
  databaseUrl: config.databaseUrl,
  dir: config.embeddedPgDir,
  port: config.embeddedPgPort,
})
if (database.embedded) {
  log(`embedded PostgreSQL on 127.0.0.1:${config.embeddedPgPort}, data in ${config.embeddedPgDir}`)
}
const url = database.url

const sql = createSql(url, { max: 1 })
const { applied } = await migrate(sql)
if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`)
if ((database.embedded || config.seedDemo) && (await seedDemo(sql))) log('seeded demo affiliates and campaigns')
await sql.end()

await exec('pnpm', ['--filter', '@affiliate/web', 'build'])

const env = { ...process.env, DATABASE_URL: url }
const services = [
  { name: 'ingest', entry: 'services/ingest/src/server.ts', port: config.ingestPort },
  { name: 'reporting', entry: 'services/reporting/src/server.ts', port: config.reportingPort },
  { name: 'web', entry: 'web/server/server.ts', port: config.webPort },
]
const children: ChildProcess[] = []
let stopping = false

for (const service of services) {
  const child = spawn(process.execPath, ['--import', 'tsx', service.entry], { cwd: root, env, stdio: 'inherit' })
  child.on('exit', (code) => {
    if (!stopping) {
      log(`${service.name} exited with code ${code}; stopping`)
      void stop(1)
    }
  })
  children.push(child)
}

await Promise.all(services.map((s) => waitForHealth(`http://127.0.0.1:${s.port}/healthz`)))
const publicHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
console.log(`
  Dashboard      http://${publicHost}:${config.webPort}
  Ingest         http://${publicHost}:${config.ingestPort}   (GET /click, GET|POST /postback, /metrics)
  Reporting API  http://${publicHost}:${config.reportingPort}/api   (docs: /docs)

  Try: curl -i "http://localhost:${config.ingestPort}/click?affiliate_id=1&campaign_id=1&click_id=readme-1"
  Ctrl-C stops everything.
`)

process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))

async function stop(code: number) {
  if (stopping) return
  stopping = true
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve()
          child.once('exit', () => resolve())
          child.kill('SIGTERM')
        }),
    ),
  )
  await database.close()
  process.exit(code)
}

function exec(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' })
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed`))))
  })
}

async function waitForHealth(target: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (stopping) return
    try {
      if ((await fetch(target)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  log(`${target} did not answer within ${timeoutMs / 1000}s`)
  await stop(1)
}
