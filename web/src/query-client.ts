import { QueryClient } from '@tanstack/react-query'
import { ApiError } from './api.ts'

/** Reports refresh themselves this often while the tab is visible. */
export const REFRESH_MS = 10_000

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Just under the refresh interval: remounts and tab switches reuse fresh data
      // instead of re-asking, and the interval still brings new figures every 10 s.
      staleTime: 5_000,
      refetchInterval: REFRESH_MS,
      // A hidden tab (an operator's other screen) stops polling; it catches up on focus.
      refetchIntervalInBackground: false,
      // A 4xx will not change by asking again; an unreachable API gets one quick retry
      // before the error state shows (the interval keeps trying after that).
      retry: (failures, error) =>
        failures < 1 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      retryDelay: 1_000,
    },
  },
})
