// `pnpm manage …`: the operator's way to add affiliates and campaigns, change a landing
// URL and rotate an advertiser's postback token. The ingest service picks changes up
// within seconds (its reference-data cache refreshes itself).
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { loadConfig } from '@affiliate/shared/config'
import { type Sql, createSql } from '@affiliate/shared/db'
import { openDatabase } from './database.ts'

const USAGE = `Usage:
  pnpm manage affiliate list
  pnpm manage affiliate create --name NAME
  pnpm manage campaign list
  pnpm manage campaign create --name NAME --landing-url URL [--token TOKEN]
  pnpm manage campaign set-landing-url --id N --landing-url URL
  pnpm manage campaign rotate-token --id N [--token TOKEN]

Landing URLs may hold {click_id} {affiliate_id} {campaign_id} {sub1}…{sub5}.
A token is generated (256 random bits) unless --token is given; it is printed once.`

export class UsageError extends Error {
  override name = 'UsageError'
}

/** A new advertiser secret: 256 random bits, URL-safe. */
export const newToken = () => randomBytes(32).toString('base64url')

export async function manage(sql: Sql, argv: string[]): Promise<string> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      'landing-url': { type: 'string' },
      token: { type: 'string' },
      id: { type: 'string' },
    },
  })
  const [resource, action] = positionals
  const id = () => {
    if (!values.id || !/^[1-9]\d{0,9}$/.test(values.id)) throw new UsageError('--id must be a positive whole number')
    return Number(values.id)
  }
  const required = (name: 'name' | 'landing-url') => {
    const value = values[name]
    if (!value) throw new UsageError(`--${name} is required`)
    return value
  }

  switch (`${resource} ${action}`) {
    case 'affiliate list':
      return table(await sql`select id, name, created_at from affiliates order by id`)
    case 'affiliate create': {
      const [row] = await sql`insert into affiliates (name) values (${required('name')}) returning id, name`
      return `created affiliate ${row!.id} (${row!.name})`
    }
    case 'campaign list':
      // Tokens are secrets: never listed.
      return table(await sql`select id, name, landing_url, created_at from campaigns order by id`)
    case 'campaign create': {
      const token = values.token ?? newToken()
      const [row] = await sql`
        insert into campaigns (name, landing_url, postback_token)
        values (${required('name')}, ${required('landing-url')}, ${token})
        returning id`
      return `created campaign ${row!.id}\npostback token (give it to the advertiser; shown once): ${token}`
    }
    case 'campaign set-landing-url': {
      const rows = await sql`update campaigns set landing_url = ${required('landing-url')} where id = ${id()} returning id`
      if (rows.length === 0) throw new UsageError(`no campaign ${values.id}`)
      return `campaign ${values.id} now redirects to ${values['landing-url']}`
    }
    case 'campaign rotate-token': {
      const token = values.token ?? newToken()
      const rows = await sql`update campaigns set postback_token = ${token} where id = ${id()} returning id`
      if (rows.length === 0) throw new UsageError(`no campaign ${values.id}`)
      return `campaign ${values.id} has a new postback token (shown once): ${token}`
    }
    default:
      throw new UsageError(USAGE)
  }
}

function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(none)'
  const format = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v))
  return rows.map((row) => Object.entries(row).map(([k, v]) => `${k}=${format(v)}`).join('  ')).join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = loadConfig()
  const database = await openDatabase(config, console.error)
  const sql = createSql(database.url, { max: 1, name: 'affiliate-manage' })
  let code = 0
  try {
    console.log(await manage(sql, process.argv.slice(2)))
  } catch (error) {
    code = error instanceof UsageError ? 2 : 1
    // A database error (bad URL, duplicate) is the operator's to read; the message names the constraint.
    console.error(error instanceof Error ? error.message : error)
  } finally {
    await sql.end()
    await database.close()
  }
  process.exit(code)
}
