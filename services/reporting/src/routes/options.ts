import type { ReportingConfig } from '../config.ts'
import type { Db } from '../db.ts'

/** What every route plugin is registered with. */
export interface RouteOptions {
  db: Db
  config: Readonly<ReportingConfig>
}
