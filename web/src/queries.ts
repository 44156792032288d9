// Every request the dashboard makes, as queryOptions factories. Keys go from generic to
// specific — ['affiliates', id, 'campaigns', range] — so one affiliate's reports can be
// invalidated together. Live reports refresh on the QueryClient's interval (main.tsx).
import type {
  AffiliateList,
  AffiliateUrls,
  Breakdown,
  CampaignReport,
  ConversionPage,
  Interval,
  OfferList,
  SubId,
  Summary,
  Timeseries,
} from '@affiliate/contracts'
import { queryOptions } from '@tanstack/react-query'
import { getJson, withQuery } from './api.ts'

export interface Range {
  from: string
  to: string
}

const affiliatePath = (id: number, report: string) => `/api/affiliates/${id}/${report}`

/** The affiliates this browser may see; a 401 here is how the dashboard learns it must sign in (key mode). */
export const affiliatesQuery = () =>
  queryOptions({
    queryKey: ['affiliates'],
    queryFn: ({ signal }) => getJson<AffiliateList>('/api/affiliates', signal),
    staleTime: 5 * 60_000,
    refetchInterval: false,
  })

export const summaryQuery = (id: number, range: Range) =>
  queryOptions({
    queryKey: ['affiliates', id, 'summary', range],
    queryFn: ({ signal }) => getJson<Summary>(withQuery(affiliatePath(id, 'summary'), { ...range }), signal),
  })

export const campaignsQuery = (id: number, range: Range) =>
  queryOptions({
    queryKey: ['affiliates', id, 'campaigns', range],
    queryFn: ({ signal }) => getJson<CampaignReport>(withQuery(affiliatePath(id, 'campaigns'), { ...range }), signal),
  })

export const timeseriesQuery = (id: number, range: Range, interval: Interval) =>
  queryOptions({
    queryKey: ['affiliates', id, 'timeseries', range, interval],
    queryFn: ({ signal }) =>
      getJson<Timeseries>(withQuery(affiliatePath(id, 'timeseries'), { ...range, interval }), signal),
  })

export const CONVERSIONS_PAGE_SIZE = 20

export const conversionsPath = (id: number, range: Range, limit: number, cursor?: string) =>
  withQuery(affiliatePath(id, 'conversions'), { ...range, limit, cursor })

export const conversionsQuery = (id: number, range: Range, cursor: string | undefined) =>
  queryOptions({
    queryKey: ['affiliates', id, 'conversions', range, cursor ?? null],
    queryFn: ({ signal }) => getJson<ConversionPage>(conversionsPath(id, range, CONVERSIONS_PAGE_SIZE, cursor), signal),
  })

export const breakdownQuery = (id: number, range: Range, by: SubId, campaignId: number | undefined) =>
  queryOptions({
    queryKey: ['affiliates', id, 'breakdown', range, by, campaignId ?? null],
    queryFn: ({ signal }) =>
      getJson<Breakdown>(withQuery(affiliatePath(id, 'breakdown'), { ...range, by, campaign_id: campaignId }), signal),
  })

export const postbackUrlQuery = (id: number) =>
  queryOptions({
    queryKey: ['affiliates', id, 'postback-url'],
    queryFn: ({ signal }) => getJson<AffiliateUrls>(affiliatePath(id, 'postback-url'), signal),
    staleTime: 5 * 60_000,
    refetchInterval: false,
  })

/** The campaigns the affiliate may promote: they change when an operator adds one, not every 10 s. */
export const offersQuery = (id: number) =>
  queryOptions({
    queryKey: ['affiliates', id, 'offers'],
    queryFn: ({ signal }) => getJson<OfferList>(affiliatePath(id, 'offers'), signal),
    staleTime: 60_000,
    refetchInterval: 60_000,
  })
