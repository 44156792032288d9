// Runs the ingest service: config, database (DATABASE_URL, or the embedded PostgreSQL
// that `pnpm start` runs), migrations, then listen. SIGTERM: stop accepting, let
// in-flight requests finish and their writes commit, close the pool, exit 0.
import { serve } from '@affiliate/http/serve'
import { openLocalDatabase } from '@affiliate/shared/embedded'
import { migrate } from '@affiliate/shared/migrate'
import { seedDemo } from '@affiliate/shared/seed'
import { build } from './app.ts'
import { loadConfig } from './config.ts'
import { openSql } from './db.ts'

const config = loadConfig()
const database = await openLocalDatabase({
  databaseUrl: config.databaseUrl,
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
    await sql.end({ timeout: 5 })
    await database.close()
  },
})
await serve(app, { host: config.host, port: config.ingestPort })
