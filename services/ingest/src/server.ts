// Runs the ingest service against DATABASE_URL (`pnpm start` hands down its embedded server's):
// migrations under the advisory lock, then listen. SIGTERM: stop accepting, let in-flight
// requests finish and their writes commit, close the pool, exit 0.
import { serve } from '@affiliate/http/serve'
import { configOrExit, requireDatabaseUrl } from '@affiliate/shared/config'
import { prepareDatabase } from '@affiliate/shared/prepare'
import { build } from './app.ts'
import { loadConfig } from './config.ts'
import { openSql } from './db.ts'

const config = configOrExit(loadConfig)
const url = configOrExit(() => requireDatabaseUrl(config))
await prepareDatabase(url, { seed: config.seedDemo })
const sql = openSql(url)

const app = await build({
  config,
  sql,
  // With a timeout, end() also closes connections that errored (porsager/postgres#1097).
  onClose: () => sql.end({ timeout: 5 }),
})
await serve(app, { host: config.host, port: config.ingestPort })
