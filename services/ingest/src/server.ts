// Runs the ingest service against DATABASE_URL (`pnpm start` hands down its embedded server's):
// migrations under the advisory lock, then listen. SIGTERM: stop accepting, let in-flight
// requests finish and their writes commit, close the pool, exit 0.
import { serve } from '@affiliate/http/serve'
import { configOrExit, requireDatabaseUrl } from '@affiliate/shared/config'
import { prepareDatabase } from '@affiliate/shared/prepare'
import { build } from './app.ts'
import { loadConfig } from './config.ts'
import { openSql, POOL_END_SECONDS } from './db.ts'

const config = configOrExit(loadConfig)
const url = configOrExit(() => requireDatabaseUrl(config))
await prepareDatabase(url, { seed: config.seedDemo })
const sql = openSql(url)

const app = await build({
  config,
  sql,
  // By now every write has committed. end() still waits on each connection whose backend was
  // terminated mid-query (pg_terminate_backend, a failover) until its timeout, for postgres.js
  // never clears that query (porsager/postgres#1097): keep the timeout short. Not 0: that would
  // also cut a connection the pool is still opening, whose rejected handshake nobody awaits.
  onClose: () => sql.end({ timeout: POOL_END_SECONDS }),
})
await serve(app, { host: config.host, port: config.ingestPort })
