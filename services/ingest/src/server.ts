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
  // By now every write has committed and nothing else is in flight, so there is nothing to wait
  // for: timeout 0 closes every connection at once. A graceful end() would wait on each
  // connection whose backend was terminated mid-query (pg_terminate_backend, a failover) until
  // its timeout, for postgres.js never clears that query (porsager/postgres#1097).
  onClose: () => sql.end({ timeout: 0 }),
})
await serve(app, { host: config.host, port: config.ingestPort })
