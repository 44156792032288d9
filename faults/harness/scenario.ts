// What every scenario starts from: a database of its own (migrated, demo data, clicks to
// convert), the server behind it to inflict faults on, and a few waiting helpers.
import { loadTestDatabaseUrl } from '@affiliate/shared/config'
import { type Sql, createSql } from '@affiliate/shared/db'
import { seedDemo } from '@affiliate/shared/seed'
import { createTestDatabase } from '@affiliate/shared/testing'
import type { Test } from 'tap'
import { type Client, createClient } from './client.ts'
import { type Ingest, startIngest } from './ingest.ts'
import { Ledger } from './ledger.ts'
import { clicksToConvert, mixedOperation, runLoad } from './load.ts'
import { type LocalServer, localServer } from './postgres.ts'

export interface Scenario {
  url: string
  sql: Sql
  server: LocalServer
  toConvert: string[]
}

export async function scenario(t: Test, { convertible = 2_000 } = {}): Promise<Scenario> {
  const url = await createTestDatabase(t)
  const sql = createSql(url, { max: 2, name: 'faults' })
  // With a timeout, end() also closes connections that broke in a fault (porsager/postgres#1097).
  t.teardown(() => sql.end({ timeout: 1 }))
  await seedDemo(sql)
  const toConvert = await clicksToConvert(sql, convertible)
  return { url, sql, server: await localServer(loadTestDatabaseUrl()), toConvert }
}

export interface UnderLoad extends Scenario {
  ingest: Ingest
  client: Client
  /** A client of its own for probes (/readyz, recovery): the load's sockets may all be waiting. */
  probe: Client
  ledger: Ledger
  /** Stops the load and resolves once every worker is done. */
  stop(): Promise<void>
}

/** A scenario with ingest started and `workers` clients sending the mixed load until stop(). */
export async function underLoad(
  t: Test,
  prefix: string,
  { workers = 20, timeoutMs = 15_000 }: { workers?: number; timeoutMs?: number } = {},
): Promise<UnderLoad> {
  const base = await scenario(t)
  const ingest = await startIngest(t, base.url)
  const client = createClient(ingest.url, { connections: workers, timeoutMs })
  const probe = createClient(ingest.url, { connections: 2 })
  t.teardown(() => {
    client.close()
    probe.close()
  })
  const ledger = new Ledger()
  let stopped = false
  const next = mixedOperation(prefix, base.toConvert)
  const load = runLoad({ client, ledger, workers, next, stopped: () => stopped })
  const stop = async () => {
    stopped = true
    await load
  }
  return { ...base, ingest, client, probe, ledger, stop }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Polls until GET /readyz answers 200 and a new click is stored and acknowledged; resolves
 * with the time that took in ms, or undefined when it did not happen within `withinMs`.
 */
export async function recovery(client: Client, tag: string, withinMs = 30_000): Promise<number | undefined> {
  const start = performance.now()
  while (performance.now() - start < withinMs) {
    const ready = await client.send('/readyz', { timeoutMs: 2_000 })
    const click = ready.status === 200 && (await client.send(`/click?affiliate_id=1&campaign_id=1&click_id=${tag}`))
    if (click && click.status === 302) return performance.now() - start
    await sleep(100)
  }
  return undefined
}
