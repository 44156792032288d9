// `pnpm dev`: like `pnpm start`, but for working on the code. The services restart when
// their files change (tsx watch) and the dashboard runs on Vite's dev server (hot reload)
// on WEB_PORT, with the same /api proxy to the reporting service as the built one.
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '@affiliate/shared/config'
import { takeOverSignals } from '@affiliate/shared/embedded'
import { prepareLocalDatabase } from '@affiliate/shared/local'
import { startChild, stopChildren, waitForOk } from './children.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const config = loadConfig()
const log = (message: string) => console.log(`[dev] ${message}`)

const database = await prepareLocalDatabase(config, { seed: true })
if (database.seeded) log('seeded demo affiliates and campaigns')

const env = { ...process.env, DATABASE_URL: database.url }
const tsx = fileURLToPath(import.meta.resolve('tsx/cli'))
const vite = fileURLToPath(new URL('../web/node_modules/vite/bin/vite.js', import.meta.url))
const watch = (entry: string) => [tsx, 'watch', '--clear-screen=false', entry]
const specs = [
  { name: 'ingest', command: process.execPath, args: watch('services/ingest/src/server.ts'), cwd: root, env },
  { name: 'reporting', command: process.execPath, args: watch('services/reporting/src/server.ts'), cwd: root, env },
  // Under tsx so that vite.config.ts can load the shared (TypeScript) configuration.
  { name: 'web', command: process.execPath, args: ['--import', 'tsx', vite], cwd: `${root}web`, env },
]

let stopping = false
const children: ChildProcess[] = specs.map((spec) =>
  startChild(spec, (name, code) => {
    if (stopping) return
    log(`${name} exited with code ${code}; stopping`)
    void stop(1)
  }),
)
takeOverSignals()
process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))

try {
  await Promise.all([
    waitForOk(`http://127.0.0.1:${config.ingestPort}/healthz`),
    waitForOk(`http://127.0.0.1:${config.reportingPort}/healthz`),
    waitForOk(`http://127.0.0.1:${config.webPort}/`),
  ])
} catch (error) {
  log((error as Error).message)
  await stop(1)
}
console.log(`
  Dashboard (hot reload)  http://localhost:${config.webPort}
  Ingest                  http://localhost:${config.ingestPort}
  Reporting API           http://localhost:${config.reportingPort}/api
  Services restart when their files change. Ctrl-C stops everything.
`)

async function stop(code: number) {
  if (stopping) return
  stopping = true
  await stopChildren(children)
  await database.close()
  process.exit(code)
}
