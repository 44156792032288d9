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

const plurals = new Intl.PluralRules()

/** A count with its noun in the right number: "1 conversion", "2 conversions". */
export function formatCountOf(value: number, noun: { one: string; other: string }): string {
  return `${formatCount(value)} ${plurals.select(value) === 'one' ? noun.one : noun.other}`
}

/** A share as a percentage, e.g. 0.125 → "12.5%"; no clicks (null) → "—". */
export function formatRate(value: number | null): string {
  if (value === null) return '—'
  return formatter('rate', { style: 'percent', maximumFractionDigits: 2 }).format(value)
}

/**
 * Every amount, EPC included, with its currency's own number of decimals (2 for USD and
 * EUR, 0 for JPY), so that a column of money lines up; the API's 4 places stay in the CSVs.
 */
export function formatMoney(amount: string | null, currency: string): string {
  if (amount === null) return '—'
  return formatter(`money:${currency}`, { style: 'currency', currency }).format(amount as Decimal)
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
/** From the first bucket to the last, e.g. "Nov 18 – 24, 2026" or "Nov 24, 12:00 AM – 7:00 PM". */
export const formatBucketRange = (first: string, last: string, interval: 'hour' | 'day') =>
  (interval === 'day' ? day : hour).formatRange(new Date(first), new Date(last))
/** Local wall-clock time, for "updated at". */
export const formatClock = (ms: number) => clock.format(new Date(ms))
