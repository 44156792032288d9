// What every process that owns a database connection does first: migrate (under the advisory
// lock, so replicas may start together) and, when its caller decided so, seed the demo data.
import { createSql } from './db.ts'
import { migrate } from './migrate.ts'
import { seedDemo } from './seed.ts'

export interface Prepared {
  /** Migration files applied by this call. */
  applied: string[]
  /** Whether this call seeded the demo data (only ever into an empty database). */
  seeded: boolean
}

export async function prepareDatabase(url: string, { seed = false } = {}): Promise<Prepared> {
  const sql = createSql(url, { max: 1, name: 'affiliate-setup' })
  try {
    const { applied } = await migrate(sql)
    const seeded = seed && (await seedDemo(sql))
    return { applied, seeded }
  } finally {
    await sql.end()
  }
}
