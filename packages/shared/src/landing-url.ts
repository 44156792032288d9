// What a campaign's landing URL may be, in one place: `pnpm manage` checks it before it
// writes, the ingest service fills in the macros it names. The database keeps the first
// two rules as a CHECK of its own (migration 001), so no other writer can break them.
export const LANDING_URL_MACROS = ['click_id', 'affiliate_id', 'campaign_id', 'sub1', 'sub2', 'sub3', 'sub4', 'sub5'] as const
export type LandingUrlMacro = (typeof LANDING_URL_MACROS)[number]

export const LANDING_URL_MAX_LENGTH = 2048

const known = new Set<string>(LANDING_URL_MACROS)
const MACRO_LIST = LANDING_URL_MACROS.map((name) => `{${name}}`).join(' ')

/** What is wrong with `url` as a landing URL, to follow its name in a message; undefined when nothing. */
export function landingUrlProblem(url: string): string | undefined {
  // The host is what comes before the first / ? or #; ingest never fills macros in there,
  // so a click cannot choose where it goes.
  const host = /^https?:\/\/([^/?#]*)/i.exec(url)?.[1]
  if (!host || /\s/.test(host))
    return 'must be an http:// or https:// URL with a host, e.g. https://shop.example.com/?click_id={click_id}'
  // Characters, as PostgreSQL's length() counts them.
  const length = [...url].length
  if (length > LANDING_URL_MAX_LENGTH)
    return `must be at most ${LANDING_URL_MAX_LENGTH} characters long; this one has ${length}`
  if (host.includes('{')) return 'may hold macros only after the host, in the path, query or fragment'
  const unknown = [...url.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1]!).filter((name) => !known.has(name))
  if (unknown.length > 0)
    return `has ${unknown.length === 1 ? 'an unknown macro' : 'unknown macros'} ${unknown.map((name) => `{${name}}`).join(' ')}; the known macros are ${MACRO_LIST}`
  return undefined
}
