// The affiliate picker's list and the URLs an affiliate (or an operator) hands out.
import { type Static, Type } from '@sinclair/typebox'

export const AffiliateSchema = Type.Object({ id: Type.Integer(), name: Type.String() })
export type Affiliate = Static<typeof AffiliateSchema>

export const AffiliateListSchema = Type.Object({ items: Type.Array(AffiliateSchema) })
export type AffiliateList = Static<typeof AffiliateListSchema>

export const MacroSchema = Type.Object({ macro: Type.String(), description: Type.String() })
export type Macro = Static<typeof MacroSchema>

/** GET /api/affiliates/:id/postback-url */
export const AffiliateUrlsSchema = Type.Object({
  affiliate_id: Type.Integer(),
  postback_url: Type.String(),
  click_url: Type.String(),
  macros: Type.Array(MacroSchema),
})
export type AffiliateUrls = Static<typeof AffiliateUrlsSchema>

/** A campaign the affiliate may promote, with its ready click link. */
export const OfferSchema = Type.Object({
  campaign_id: Type.Integer(),
  name: Type.String(),
  click_url: Type.String({ description: 'The click link for this campaign; add &sub1=… (sub1…sub5) to label traffic' }),
})
export type Offer = Static<typeof OfferSchema>

/** GET /api/affiliates/:id/offers */
export const OfferListSchema = Type.Object({ items: Type.Array(OfferSchema) })
export type OfferList = Static<typeof OfferListSchema>

/** GET /api/campaigns/:id/postback-url (operators only) */
export const CampaignUrlSchema = Type.Object({
  campaign_id: Type.Integer(),
  name: Type.String(),
  postback_url: Type.String(),
  token: Type.String(),
  macros: Type.Array(MacroSchema),
})
export type CampaignUrl = Static<typeof CampaignUrlSchema>
