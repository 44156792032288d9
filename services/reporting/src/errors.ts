// Every error this service answers with, in one table. Bodies are {status, code, message}.
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

const BadParameterError = defineError('bad_parameter', '%s', 400)

/** A 400 that names the parameter, in the same shape as a schema validation error. */
export function badParameter(parameter: string, detail: string): Error {
  return Object.assign(new BadParameterError(`${parameter} ${detail}`), { parameter })
}
