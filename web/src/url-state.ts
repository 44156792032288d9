// The URL is the state of what is shown (range, affiliate), so a view can be shared and
// bookmarked. A router would be more than two query parameters need.
import { useSyncExternalStore } from 'react'

const CHANGE = 'dashboard:urlchange'

function subscribe(onChange: () => void) {
  window.addEventListener('popstate', onChange)
  window.addEventListener(CHANGE, onChange)
  return () => {
    window.removeEventListener('popstate', onChange)
    window.removeEventListener(CHANGE, onChange)
  }
}

const snapshot = () => window.location.search

export function useSearchParams(): URLSearchParams {
  const search = useSyncExternalStore(subscribe, snapshot)
  return new URLSearchParams(search)
}

/**
 * Applies changes to the query string (undefined removes a parameter) as a new history entry,
 * or in place of the current one with `replace` (a correction, not a step Back should undo).
 */
export function updateSearchParams(changes: Record<string, string | undefined>, { replace = false } = {}) {
  const params = new URLSearchParams(window.location.search)
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) params.delete(name)
    else params.set(name, value)
  }
  const search = params.toString()
  const next = `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`
  if (next === `${window.location.pathname}${window.location.search}${window.location.hash}`) return
  if (replace) window.history.replaceState(null, '', next)
  else window.history.pushState(null, '', next)
  window.dispatchEvent(new Event(CHANGE))
}
