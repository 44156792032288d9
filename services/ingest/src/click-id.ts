// Minted click ids: a time-ordered prefix (48-bit milliseconds, hex) keeps new ids at the
// end of the unique index and lets the table be partitioned by time later; 128 random
// bits make them unguessable. 34 characters of [0-9a-f] + base64url.
import { randomFillSync } from 'node:crypto'

const RANDOM_BYTES = 16
// One getrandom call per 1024 ids instead of one per click.
const pool = Buffer.alloc(RANDOM_BYTES * 1024)
let offset = pool.length

export function mintClickId(now = Date.now()): string {
  if (offset === pool.length) {
    randomFillSync(pool)
    offset = 0
  }
  const random = pool.toString('base64url', offset, offset + RANDOM_BYTES)
  offset += RANDOM_BYTES
  return now.toString(16).padStart(12, '0') + random
}
