// Numbers in the user's locale (undefined = the browser's language) and the figure's currency.
// Money arrives as decimal strings; Intl formats them without a detour through floats.
const cache = new Map<string, Intl.NumberFormat>()

function formatter(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let found = cache.get(key)
  if (!found) {
    found = new Intl.NumberFormat(undefined, options)
    cache.set(key, found)
  }
  return found
}

type Decimal = `${number}`

export const formatCount = (value: number) => formatter('count', {}).format(value)

/** A share as a percentage, e.g. 0.125 → "12.5%"; no clicks (null) → "—". */
export function formatRate(value: number | null): string {
  if (value === null) return '—'
  return formatter('rate', { style: 'percent', maximumFractionDigits: 2 }).format(value)
}

export function formatMoney(amount: string | null, currency: string, precise = false): string {
  if (amount === null) return '—'
  const key = `money:${currency}:${precise}`
  // EPC is a small per-click figure: keep up to the API's 4 places.
  const options: Intl.NumberFormatOptions = precise
    ? { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 4 }
    : { style: 'currency', currency }
  return formatter(key, options).format(amount as Decimal)
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' })
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' })
const hour = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'UTC',
})
const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' })

/** Instants are shown in UTC, the time zone of the API's buckets. */
export const formatDateTime = (iso: string) => `${dateTime.format(new Date(iso))} UTC`
export const formatBucket = (iso: string, interval: 'hour' | 'day') =>
  interval === 'day' ? day.format(new Date(iso)) : hour.format(new Date(iso))
/** Local wall-clock time, for "updated at". */
export const formatClock = (ms: number) => clock.format(new Date(ms))
