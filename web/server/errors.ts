import { defineError } from '@affiliate/http/errors'

// Any failure to reach the reporting service (refused, reset, timed out) is one error for
// the dashboard: it shows "unreachable" and keeps retrying.
export const ReportingUnavailable = defineError('reporting_unavailable', 'The reporting API is unavailable', 503)
// It accepted the request and did not answer within REPORTING_PROXY_TIMEOUT_MS: a gateway timeout.
export const ReportingTimeout = defineError('reporting_timeout', 'The reporting API did not answer in time', 504)
