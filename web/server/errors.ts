import { defineError } from '@affiliate/http/errors'

// Any failure to reach the reporting service (refused, reset, timed out) is one error for
// the dashboard: it shows "unreachable" and keeps retrying.
export const ReportingUnavailable = defineError('reporting_unavailable', 'The reporting API is unavailable', 503)
