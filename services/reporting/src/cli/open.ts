// How the CLIs reach the database: DATABASE_URL when set, else the embedded server
// (reused when `pnpm start` runs it, started for the command when it does not).
import { loadConfig } from '@affiliate/shared/config'
import { prepareLocalDatabase } from '@affiliate/shared/local'
import { type OpenedDb, openDb } from '../db.ts'

export async function openCliDatabase(): Promise<OpenedDb> {
  const local = await prepareLocalDatabase(loadConfig())
  const opened = await openDb(local.url, { max: 2, readOnly: false })
  return {
    ...opened,
    close: async () => {
      await opened.close()
      await local.close()
    },
  }
}
