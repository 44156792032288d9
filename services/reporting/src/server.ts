// The reporting process: configuration, migrations (so it runs alone against any
// DATABASE_URL), then the app on REPORTING_PORT.
import { serve } from '@affiliate/http/serve'
import { createSql } from '@affiliate/shared/db'
import { migrate } from '@affiliate/shared/migrate'
import { build } from './app.ts'
import { loadReportingConfig } from './config.ts'

const config = loadReportingConfig()
if (!config.databaseUrl && !config.reportingDatabaseUrl) {
  console.error('DATABASE_URL is not set: run `pnpm start`, or point DATABASE_URL at a PostgreSQL server')
  process.exit(1)
}
if (config.databaseUrl) {
  const admin = createSql(config.databaseUrl, { max: 1, name: 'affiliate-reporting-migrate' })
  await migrate(admin)
  await admin.end()
}
const app = await build({ config, url: (config.reportingDatabaseUrl ?? config.databaseUrl)! })
await serve(app, { host: config.host, port: config.reportingPort })
