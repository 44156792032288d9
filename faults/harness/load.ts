// Bounded loopback load with keys we control: a mix of clicks with their own click_id, clicks
// whose id the service mints (never retried: a retry would be a second click) and postbacks
// of new conversions. An unknown outcome is retried with the same keys until it is definite.
import type { Sql } from '@affiliate/shared/db'
import { rollUp } from '../../services/reporting/test/helper.ts'
import type { Client } from './client.ts'
import type { Ledger, Operation } from './ledger.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Clicks the postbacks convert (affiliate 3, campaign 3 of the demo data), rolled up like ingest does. */
export async function clicksToConvert(sql: Sql, count: number): Promise<string[]> {
  // Each click's key first, then its row (migration 050), as ingest stores them.
  await sql`
    with keys as (
      insert into click_keys (click_id, affiliate_id, campaign_id)
      select 'convert-' || n, 3, 3 from generate_series(1, ${count}::int) as n
      returning click_id, "timestamp", affiliate_id, campaign_id
    )
    insert into clicks (click_id, "timestamp", affiliate_id, campaign_id) select * from keys`
  await rollUp(sql)
  return Array.from({ length: count }, (_, i) => `convert-${i + 1}`)
}

/** The n-th operation of a mixed load: 5 keyed clicks, 1 minted click, 4 postbacks in 10. */
export function mixedOperation(prefix: string, toConvert: readonly string[]) {
  let n = 0
  return (): Operation => {
    const i = n++
    const tag = `${prefix}-${i}`
    switch (i % 10) {
      case 5:
        return { tag, kind: 'click', path: `/click?affiliate_id=2&campaign_id=2&sub2=${tag}`, retry: false }
      case 6:
      case 7:
      case 8:
      case 9: {
        const click = toConvert[i % toConvert.length]
        return {
          tag,
          kind: 'postback',
          path: `/postback?affiliate_id=3&click_id=${click}&amount=1.50&currency=USD&txn_id=${tag}&token=demo-token-3`,
          retry: true,
        }
      }
      default:
        return {
          tag,
          kind: 'click',
          path: `/click?affiliate_id=1&campaign_id=1&click_id=${tag}&sub2=${tag}`,
          retry: true,
        }
    }
  }
}

export interface LoadOptions {
  client: Client
  ledger: Ledger
  /** Concurrent clients, each sending one request at a time. */
  workers: number
  next: () => Operation
  /** Load runs until this says stop; an operation still unknown then is left to settle(). */
  stopped: () => boolean
}

/** Sends `operation` until its outcome is definite, it may not be retried, or `stopped()`. */
async function perform({ client, ledger, stopped }: LoadOptions, operation: Operation) {
  let backoff = 25
  for (;;) {
    const attempt = await client.send(operation.path)
    ledger.record(operation, attempt)
    if (attempt.outcome !== 'unknown' || !operation.retry || stopped()) return
    await sleep(backoff)
    backoff = Math.min(backoff * 2, 400)
  }
}

export async function runLoad(options: LoadOptions): Promise<void> {
  const worker = async () => {
    while (!options.stopped()) await perform(options, options.next())
  }
  await Promise.all(Array.from({ length: options.workers }, worker))
}

/** Retries every retryable operation still unknown, until each is definite or `withinMs` passed. */
export async function settle(client: Client, ledger: Ledger, withinMs = 30_000): Promise<number> {
  const deadline = performance.now() + withinMs
  const open = () =>
    [...ledger.entries.values()]
      .filter(({ operation }) => operation.retry && ledger.outcome(operation.tag) === 'unknown')
      .map(({ operation }) => operation)
  for (let pending = open(); pending.length > 0 && performance.now() < deadline; pending = open()) {
    for (let i = 0; i < pending.length; i += 20) {
      await Promise.all(pending.slice(i, i + 20).map(async (op) => ledger.record(op, await client.send(op.path))))
    }
    if (open().length > 0) await sleep(200)
  }
  return open().length
}
