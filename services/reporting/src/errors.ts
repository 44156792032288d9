// Every error this service answers with, in one table. Bodies are {status, code, message};
// a refused parameter is the shared badParameter of @affiliate/http/errors.
import { defineError } from '@affiliate/http/errors'

export const UnknownAffiliate = defineError('unknown_affiliate', 'Unknown affiliate', 404)
export const UnknownCampaign = defineError('unknown_campaign', 'Unknown campaign', 404)
export const MissingApiKey = defineError(
  'missing_api_key',
  'An API key is required: send Authorization: Bearer <key>',
  401,
)
export const InvalidApiKey = defineError('invalid_api_key', 'Unknown or revoked API key', 401)
export const AdminRequired = defineError('admin_required', 'This needs an admin API key', 403)

export const ReportTimeout = defineError(
  'report_timeout',
  'The report took too long to compute; retry later or narrow the range',
  503,
)
export const Unavailable = defineError('unavailable', 'The database is unavailable; retry later', 503)
