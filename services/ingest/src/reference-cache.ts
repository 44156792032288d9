// Affiliates and campaigns, held in process so that the hot path reads no reference data.
// A miss reads through (a campaign created a moment ago works at once); a periodic
// refresh makes changes — a new landing URL, a rotated token — take effect within seconds.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { Sql } from './db.ts'
import { compileLandingUrl, type LandingUrl } from './landing-url.ts'
import { loadReferenceData } from './queries/reference.ts'

export interface CachedCampaign {
  id: number
  landingUrl: LandingUrl
}

export interface ReferenceCache {
  hasAffiliate(id: number): Promise<boolean>
  campaign(id: number): Promise<CachedCampaign | undefined>
  /** The campaigns whose advertiser holds this postback token, or undefined if none does. */
  campaignsForToken(token: string): Promise<readonly number[] | undefined>
  start(): Promise<void>
  stop(): Promise<void>
}

interface Snapshot {
  affiliates: Set<number>
  campaigns: Map<number, CachedCampaign>
  // Keyed by the token's SHA-256: a lookup's timing depends on the hash, never on the secret.
  tokens: Map<string, { digest: Buffer; campaignIds: number[] }>
}

export function createReferenceCache(
  sql: Sql,
  { refreshMs, onError }: { refreshMs: number; onError: (error: unknown) => void },
): ReferenceCache {
  let data: Snapshot = { affiliates: new Set(), campaigns: new Map(), tokens: new Map() }
  let timer: NodeJS.Timeout | undefined

  async function load() {
    const { affiliateIds, campaigns } = await loadReferenceData(sql)
    const next: Snapshot = { affiliates: new Set(affiliateIds), campaigns: new Map(), tokens: new Map() }
    for (const c of campaigns) {
      next.campaigns.set(c.id, { id: c.id, landingUrl: compileLandingUrl(c.landing_url) })
      const digest = sha256(c.postback_token)
      const key = digest.toString('base64')
      const entry = next.tokens.get(key) ?? { digest, campaignIds: [] }
      entry.campaignIds.push(c.id)
      next.tokens.set(key, entry)
    }
    data = next
  }

  // A miss waits for a load that started after it; concurrent misses share that load.
  let running: Promise<void> | undefined
  let queued: Promise<void> | undefined
  function reload(): Promise<void> {
    if (running === undefined) {
      running = load().finally(() => (running = undefined))
      return running
    }
    queued ??= running
      .catch(() => {})
      .then(() => {
        queued = undefined
        return reload()
      })
    return queued
  }

  return {
    async hasAffiliate(id) {
      if (data.affiliates.has(id)) return true
      await reload()
      return data.affiliates.has(id)
    },
    async campaign(id) {
      const hit = data.campaigns.get(id)
      if (hit !== undefined) return hit
      await reload()
      return data.campaigns.get(id)
    },
    async campaignsForToken(token) {
      const digest = sha256(token)
      const key = digest.toString('base64')
      let entry = data.tokens.get(key)
      if (entry === undefined) {
        await reload()
        entry = data.tokens.get(key)
      }
      return entry !== undefined && timingSafeEqual(entry.digest, digest) ? entry.campaignIds : undefined
    },
    async start() {
      await reload().catch(onError)
      timer = setInterval(() => reload().catch(onError), refreshMs)
      timer.unref()
    },
    async stop() {
      clearInterval(timer)
      await running?.catch(() => {})
    },
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}
