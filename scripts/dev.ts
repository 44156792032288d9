// `pnpm dev`: like `pnpm start`, but for working on the code. The services restart when
// their files change (tsx watch) and the dashboard runs on Vite's dev server (hot reload)
// on WEB_PORT, with the same /api proxy to the reporting service as the built one.
import { fileURLToPath } from 'node:url'
import { configOrExit, loadConfig } from '@affiliate/shared/config'
import { openDatabase } from './database.ts'
import { supervise } from './supervise.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const config = configOrExit(loadConfig)
const log = (message: string) => console.log(`[dev] ${message}`)

const database = await openDatabase(config, log, { seed: true, own: true })
if (database.embeddedDir) log(`embedded PostgreSQL, data in ${database.embeddedDir}; DATABASE_URL=${database.url}`)
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

await supervise(specs, {
  readyUrls: [
    `http://127.0.0.1:${config.ingestPort}/healthz`,
    `http://127.0.0.1:${config.reportingPort}/healthz`,
    `http://127.0.0.1:${config.webPort}/`,
  ],
  log,
  afterStop: () => database.close(),
})
console.log(`
  Dashboard (hot reload)  http://localhost:${config.webPort}
  Ingest                  http://localhost:${config.ingestPort}
  Reporting API           http://localhost:${config.reportingPort}/api
  Services restart when their files change. Ctrl-C stops everything.
`)
