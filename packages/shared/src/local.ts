// What every local runner and CLI does first (pnpm start, pnpm dev, pnpm manage,
// pnpm apikey, pnpm reconcile): reach the database the configuration names, or the
// embedded one, and bring its schema up to date.
import type { Config } from './config.ts'
import { createSql } from './db.ts'
import { type LocalDatabase, openLocalDatabase } from './embedded.ts'
import { migrate } from './migrate.ts'
import { seedDemo } from './seed.ts'

export interface PreparedDatabase extends LocalDatabase {
  applied: string[]
  seeded: boolean
}

/**
 * Opens and migrates the database. With `seed`, demo data goes into an empty database
 * on the embedded server, or anywhere when SEED_DEMO=true — never silently into production.
 */
export async function prepareLocalDatabase(
  config: Pick<Config, 'databaseUrl' | 'embeddedPgDir' | 'embeddedPgPort' | 'seedDemo'>,
  options: { seed?: boolean } = {},
): Promise<PreparedDatabase> {
  const database = await openLocalDatabase({
    databaseUrl: config.databaseUrl,
    dir: config.embeddedPgDir,
    port: config.embeddedPgPort,
  })
  const sql = createSql(database.url, { max: 1, name: 'affiliate-setup' })
  try {
    const { applied } = await migrate(sql)
    const seeded = options.seed === true && (database.embedded || config.seedDemo) && (await seedDemo(sql))
    return { ...database, applied, seeded }
  } finally {
    await sql.end()
  }
}
