// How the CLIs reach the database: DATABASE_URL when set, else the embedded server
// (reused when `pnpm start` runs it, started for the command when it does not).
import { loadConfig } from '@affiliate/shared/config'
import { createSql } from '@affiliate/shared/db'
import { openLocalDatabase } from '@affiliate/shared/embedded'
import { migrate } from '@affiliate/shared/migrate'
import { type OpenedDb, openDb } from '../db.ts'

export async function openCliDatabase(): Promise<OpenedDb> {
  const config = loadConfig()
  const local = await openLocalDatabase({
    databaseUrl: config.databaseUrl,
    dir: config.embeddedPgDir,
    port: config.embeddedPgPort,
  })
  const admin = createSql(local.url, { max: 1, name: 'affiliate-cli' })
  await migrate(admin)
  await admin.end()
  const opened = await openDb(local.url, { max: 2, readOnly: false })
  return {
    ...opened,
    close: async () => {
      await opened.close()
      await local.close()
    },
  }
}
