import type { CampaignReport } from '@affiliate/contracts'
import { useQuery } from '@tanstack/react-query'
import { campaignsQuery, type Range } from '../../queries.ts'

export type CampaignNames = ReadonlyMap<number, string>

// Module-level, so TanStack Query reruns it only when the report changes.
const toNames = (report: CampaignReport): CampaignNames => new Map(report.items.map((c) => [c.campaign_id, c.name]))
const none: CampaignNames = new Map()

/** Campaign names of the range, from the campaign table's (cached) report: conversions carry only ids. */
export function useCampaignNames(affiliateId: number, range: Range): CampaignNames {
  return useQuery({ ...campaignsQuery(affiliateId, range), select: toNames }).data ?? none
}

export const campaignName = (names: CampaignNames, id: number) => names.get(id) ?? `Campaign #${id}`
