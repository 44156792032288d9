// What the local runners and CLIs do first (pnpm start, pnpm dev, pnpm manage, and the wrapper
// of pnpm apikey and pnpm reconcile): reach the database DATABASE_URL names, or the embedded
// one, and bring its schema up to date. Services take only DATABASE_URL: the runner hands it down.
import { createHash } from 'node:crypto'
import path from 'node:path'
import { type Config, DEFAULT_EMBEDDED_PG_DIR } from '@affiliate/shared/config'
import { createSql, databaseUrl } from '@affiliate/shared/db'
import { type Prepared, prepareDatabase } from '@affiliate/shared/prepare'
import { SYSTEM_DIR, startEmbedded } from './server.ts'
import { canReach, postgresUser } from './user.ts'

export { EmbeddedError } from './user.ts'

export interface LocalDatabase extends Prepared {
  /** URL of the `affiliate` database (or DATABASE_URL). */
  url: string
  /** The embedded server's data folder; undefined with DATABASE_URL. */
  embeddedDir: string | undefined
  /** Stops the embedded server if this call owns it. */
  close(): Promise<void>
}

const DATABASE = 'affiliate'

/**
 * With `seed`, demo data goes into an empty embedded database, or anywhere when SEED_DEMO=true,
 * never silently into production. With `own`, an embedded server found running (left by a
 * runner that was killed) is stopped by close() too; without it, it is only used.
 */
export async function openLocalDatabase(
  config: Pick<Config, 'databaseUrl' | 'embeddedPgDir' | 'embeddedPgPort' | 'seedDemo'>,
  options: { seed?: boolean; own?: boolean } = {},
): Promise<LocalDatabase> {
  if (config.databaseUrl) {
    const prepared = await prepareDatabase(config.databaseUrl, { seed: options.seed === true && config.seedDemo })
    return { url: config.databaseUrl, embeddedDir: undefined, ...prepared, close: async () => {} }
  }
  const server = await startEmbedded({ dir: dataDir(config.embeddedPgDir), port: config.embeddedPgPort, adopt: options.own })
  try {
    const url = await ensureDatabase(server.url, DATABASE)
    const prepared = await prepareDatabase(url, { seed: options.seed === true })
    return { url, embeddedDir: server.dir, ...prepared, close: () => server.stop() }
  } catch (error) {
    await server.stop()
    throw error
  }
}

/**
 * The configured folder, except when root runs the default one out of the postgres user's
 * reach (a checkout in /root): then a folder of its own under /var/lib, one per checkout.
 */
function dataDir(configured: string): string {
  const dir = path.resolve(configured)
  const runAs = postgresUser()
  if (configured !== DEFAULT_EMBEDDED_PG_DIR || runAs === undefined || canReach(runAs, dir)) return dir
  const checkout = createHash('sha256').update(dir).digest('hex').slice(0, 12)
  return path.join(SYSTEM_DIR, checkout, 'postgres')
}

async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = createSql(serverUrl, { max: 1, name: 'affiliate-setup' })
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`
    if (!exists) await admin.unsafe(`create database ${name}`)
  } finally {
    await admin.end()
  }
  return databaseUrl(serverUrl, name)
}
