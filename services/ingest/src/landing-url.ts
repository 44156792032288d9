// A campaign's landing URL, compiled once per cache refresh into a function that fills
// its macros. The redirect target is therefore always the campaign's own URL: request
// values are URL-encoded into the path, query or fragment, never into scheme or host.
// Which macros there are, and what an operator may save, is packages/shared's landing-url.ts.
import { LANDING_URL_MACROS, type LandingUrlMacro as Macro } from '@affiliate/shared/landing-url'

export type MacroValues = Record<Macro, string | number | null>
export type LandingUrl = (values: MacroValues) => string

const MACRO = new RegExp(`\\{(${LANDING_URL_MACROS.join('|')})\\}`)

export function compileLandingUrl(template: string): LandingUrl {
  const [, origin = '', rest = ''] = /^(https?:\/\/[^/?#]*)(.*)$/is.exec(template) ?? [, template, '']
  const parts = withClickId(rest).split(MACRO)
  // split() with a capture group alternates literal text and macro names.
  const literals = [safe(origin) + safe(parts[0]!)]
  const macros: Macro[] = []
  for (let i = 1; i < parts.length; i += 2) {
    macros.push(parts[i] as Macro)
    literals.push(safe(parts[i + 1]!))
  }
  return (values) => {
    let url = literals[0]!
    for (let i = 0; i < macros.length; i++) {
      const value = values[macros[i]!]
      url += (value === null ? '' : encodeURIComponent(value)) + literals[i + 1]!
    }
    return url
  }
}

/** A URL without {click_id} gets it as a query parameter, before any fragment. */
function withClickId(rest: string): string {
  if (rest.includes('{click_id}')) return rest
  const hash = rest.indexOf('#')
  const path = (hash === -1 ? rest : rest.slice(0, hash)) || '/'
  const fragment = hash === -1 ? '' : rest.slice(hash)
  const separator = !path.includes('?') ? '?' : path.endsWith('?') || path.endsWith('&') ? '' : '&'
  return `${path}${separator}click_id={click_id}${fragment}`
}

/** Location must be printable ASCII; a landing URL written with other characters is escaped. */
function safe(literal: string): string {
  return literal.replace(/[^\x21-\x7e]+/g, (text) => encodeURI(text))
}
