// `pnpm start`: the whole system on one machine. Opens the embedded PostgreSQL (unless
// DATABASE_URL is set), migrates, seeds demo data into an empty embedded database, builds
// the dashboard, then runs ingest, reporting and web, handing each DATABASE_URL, and prints
// their URLs. Ctrl-C (or SIGTERM, or a closed terminal) stops the services, then the database.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { configOrExit, loadConfig } from '@affiliate/shared/config'
import { openDatabase } from './database.ts'
import { supervise } from './supervise.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const config = configOrExit(loadConfig)
const log = (message: string) => console.log(`[start] ${message}`)

const database = await openDatabase(config, log, { seed: true, own: true })
if (database.embeddedDir) {
  log(`embedded PostgreSQL, data in ${database.embeddedDir}`)
  if (database.embeddedDir !== path.resolve(config.embeddedPgDir)) {
    log(`(the postgres user cannot reach ${path.resolve(config.embeddedPgDir)}, so the data lives there)`)
  }
  log(`DATABASE_URL=${database.url}  (for a lone service or your SQL client)`)
}
if (database.applied.length > 0) log(`applied migrations: ${database.applied.join(', ')}`)
if (database.seeded) log('seeded demo affiliates and campaigns (tokens demo-token-1 … demo-token-3)')

if (spawnSync('pnpm', ['--filter', '@affiliate/web', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) {
  log('building the dashboard failed')
  await database.close()
  process.exit(1)
}

const env = { ...process.env, DATABASE_URL: database.url }
const service = (name: string, entry: string) => ({
  name,
  command: process.execPath,
  args: ['--import', 'tsx', entry],
  cwd: root,
  env,
})
await supervise(
  [
    service('ingest', 'services/ingest/src/server.ts'),
    service('reporting', 'services/reporting/src/server.ts'),
    service('web', 'web/server/server.ts'),
  ],
  {
    readyUrls: [config.ingestPort, config.reportingPort, config.webPort].map((p) => `http://127.0.0.1:${p}/healthz`),
    log,
    afterStop: () => database.close(),
  },
)
const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
console.log(`
  Dashboard      http://${host}:${config.webPort}
  Ingest         http://${host}:${config.ingestPort}   (GET /click, GET|POST /postback, /metrics)
  Reporting API  http://${host}:${config.reportingPort}/api   (reference: /docs, OpenAPI: /openapi.json)

  Try: curl -i 'http://localhost:${config.ingestPort}/click?affiliate_id=1&campaign_id=1&click_id=readme-1&sub1=newsletter'
  Ctrl-C stops everything.
`)
