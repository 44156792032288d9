// Reference data for the in-process cache: the hot path never reads it per request.
import type { Sql } from '@affiliate/shared/db'

export interface CampaignRow {
  id: number
  landing_url: string
  postback_token: string
}

export async function loadReferenceData(sql: Sql): Promise<{ affiliateIds: number[]; campaigns: CampaignRow[] }> {
  const [affiliates, campaigns] = await Promise.all([
    sql<{ id: number }[]>`select id from affiliates`,
    sql<CampaignRow[]>`select id, landing_url, postback_token from campaigns`,
  ])
  return { affiliateIds: affiliates.map((a) => a.id), campaigns }
}
