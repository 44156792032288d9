// Every error this service answers with, in one table. The code is the stable,
// documented, machine-readable part of the body; see README.md.
import { defineError } from '@affiliate/http/errors'

export const UnknownAffiliate = defineError('unknown_affiliate', 'Unknown affiliate', 404)
export const UnknownCampaign = defineError('unknown_campaign', 'Unknown campaign', 404)
export const InvalidToken = defineError('invalid_token', 'Invalid token', 401)
// The body {"status":"error","message":"Invalid click"} is the original spec's; the code is added.
export const InvalidClick = defineError('invalid_click', 'Invalid click', 404)
export const ClickExpired = defineError('click_expired', 'Click is older than the attribution window', 422)
export const DuplicateConflict = defineError(
  'duplicate_conflict',
  'A conversion with this click_id and txn_id was already tracked with other values',
  409,
)
export const ClickConflict = defineError(
  'click_conflict',
  'This click_id was already used for another affiliate or campaign',
  409,
)
export const RateLimited = defineError('rate_limited', 'Too many requests from this address, retry in %s', 429)
export const Unavailable = defineError('unavailable', 'Storage is unavailable, nothing was stored; retry later', 503)
// The same code as Unavailable (a client retries either way), but this write may still commit.
export const WriteTimeout = defineError(
  'unavailable',
  'Storage did not confirm the write in time and it may still be stored; retry with the same click_id or txn_id',
  503,
)

