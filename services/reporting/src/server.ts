// The reporting process: configuration, migrations (so it runs alone against any
// DATABASE_URL), then the app on REPORTING_PORT. With only REPORTING_DATABASE_URL (a
// read-only replica or login), it migrates nothing: the writers' side owns the schema.
import { serve } from '@affiliate/http/serve'
import { configOrExit, requireDatabaseUrl } from '@affiliate/shared/config'
import { prepareDatabase } from '@affiliate/shared/prepare'
import { build } from './app.ts'
import { loadReportingConfig } from './config.ts'

const config = configOrExit(loadReportingConfig)
const url = configOrExit(() => config.reportingDatabaseUrl ?? requireDatabaseUrl(config))
if (config.databaseUrl) await prepareDatabase(config.databaseUrl, { seed: config.seedDemo })
const app = await build({ config, url })
await serve(app, { host: config.host, port: config.reportingPort })
