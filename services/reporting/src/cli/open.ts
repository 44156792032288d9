// How the CLIs reach the database: DATABASE_URL only. `pnpm apikey` and `pnpm reconcile`
// run them through scripts/with-database.ts, which hands down the embedded server's URL
// when DATABASE_URL is not set.
import { configOrExit, loadConfig, requireDatabaseUrl } from '@affiliate/shared/config'
import { type OpenedDb, openDb } from '../db.ts'

export async function openCliDatabase(): Promise<OpenedDb> {
  const url = configOrExit(() => requireDatabaseUrl(loadConfig()))
  return openDb(url, { max: 2, readOnly: false })
}
