// An affiliate's conversions, newest first, by keyset pagination over ("timestamp", id):
// each page starts strictly after the last row of the previous one, so rows that arrive
// meanwhile (newer, hence before the cursor) cause no gap and no repeat. No OFFSET.
import { sql } from 'kysely'
import type { ConversionStatus } from '@affiliate/contracts/values'
import type { Db } from '../db.ts'
import type { Range } from '../range.ts'

export interface Cursor {
  /** The row's timestamp to the microsecond, as PostgreSQL prints it in UTC. */
  timestamp: string
  id: number
}

// Microseconds: a JS Date would round them away and the keyset would skip or repeat rows.
const isoMicros = sql<string>`to_char("timestamp", 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

export async function listConversions(
  db: Db,
  affiliateId: number,
  options: { range: Range; limit: number; cursor?: Cursor; status?: ConversionStatus },
) {
  const { range, limit, cursor, status } = options
  const rows = await db
    .selectFrom('conversions')
    .select([
      'id',
      'click_id',
      'txn_id',
      'campaign_id',
      sql<string>`amount::text`.as('amount'),
      'currency',
      'status',
      isoMicros.as('timestamp'),
    ])
    .where('affiliate_id', '=', affiliateId)
    .where('timestamp', '>=', range.from)
    .where('timestamp', '<', range.to)
    // Implied (a click comes before its conversions), but it spares the partitions of later clicks
    // (conversions are partitioned by their click's time, migration 050).
    .where('click_timestamp', '<', range.to)
    .$if(status !== undefined, (qb) => qb.where('status', '=', status!))
    .$if(cursor !== undefined, (qb) =>
      qb.where((eb) =>
        // Sent as text: postgres.js would pass a timestamptz parameter through a JS Date.
        eb(
          eb.refTuple('timestamp', 'id'),
          '<',
          eb.tuple(sql<Date>`${cursor!.timestamp}::text::timestamptz`, cursor!.id),
        ),
      ),
    )
    .orderBy('timestamp', 'desc')
    .orderBy('id', 'desc')
    // One more than asked tells whether another page exists.
    .limit(limit + 1)
    .execute()
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  const next = rows.length > limit && last ? { timestamp: last.timestamp, id: last.id } : undefined
  return { items, next }
}
