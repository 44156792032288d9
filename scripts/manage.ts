// `pnpm manage …`: the operator's way to add affiliates and campaigns, change a landing
// URL and rotate an advertiser's postback token (the ingest service picks changes up
// within seconds: its reference-data cache refreshes itself), and to run retention now.
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { BadArgument, formatTable, runCli, UsageError } from '@affiliate/shared/cli'
import { loadConfig } from '@affiliate/shared/config'
import { createSql, type Sql } from '@affiliate/shared/db'
import { LANDING_URL_MACROS, LANDING_URL_MAX_LENGTH, landingUrlProblem } from '@affiliate/shared/landing-url'
import { dropExpiredDays, type ExpiredDay, expiredDays } from '@affiliate/shared/partitions'
import { openDatabase } from './database.ts'

const GROUPS = {
  affiliate: {
    commands: `Affiliates:
  affiliate list [--json]         every affiliate, as a table (or JSON)
  affiliate create --name NAME    add an affiliate`,
    flags: `  --name NAME         1 to 200 characters
  --json              list as JSON instead of a table`,
    example: `pnpm manage affiliate create --name "Night Owls"`,
  },
  campaign: {
    commands: `Campaigns:
  campaign list [--json]          every campaign with its landing URL (never its token)
  campaign create --name NAME --landing-url URL [--token TOKEN]
                                  add a campaign; prints its advertiser's postback token once
  campaign set-landing-url --id N --landing-url URL
                                  send the campaign's clicks somewhere else
  campaign rotate-token --id N [--token TOKEN]
                                  a new postback token, printed once; the old one stops working`,
    flags: `  --name NAME         1 to 200 characters
  --landing-url URL   http:// or https:// with a host, at most ${LANDING_URL_MAX_LENGTH} characters; may hold
                      ${LANDING_URL_MACROS.map((name) => `{${name}}`).join(' ')},
                      filled in URL-encoded on each click ({click_id} is appended when absent)
  --token TOKEN       the advertiser's secret, 8 to 256 characters; generated (256 random bits) unless given
  --id N              the campaign's id (see campaign list)
  --json              list as JSON instead of a table`,
    example: `pnpm manage campaign create --name "Spring" --landing-url "https://shop.example.com/?cid={click_id}"`,
  },
  retention: {
    commands: `Retention:
  retention [--dry-run]           drop the raw days older than RAW_RETENTION_DAYS now, as ingest
                                  does hourly; prints each day (rollups are never dropped)`,
    flags: `  --dry-run           print what would be dropped; drop nothing`,
    example: `RAW_RETENTION_DAYS=30 pnpm manage retention --dry-run`,
  },
} as const
type Group = keyof typeof GROUPS

function usage(argv: string[]): string {
  const named = argv.find((arg): arg is Group => Object.hasOwn(GROUPS, arg))
  const groups = named ? [GROUPS[named]] : Object.values(GROUPS)
  const flags = named ? GROUPS[named].flags : GROUPS.campaign.flags
  return [
    `Usage: pnpm manage ${named ?? '<affiliate|campaign|retention>'} <command> [flags]`,
    ...groups.map((group) => group.commands),
    `Flags:\n${flags}\n  -h, --help          this help`,
    `Example:\n${groups.map((group) => `  ${group.example}`).join('\n')}`,
    'DATABASE_URL names the database; unset, the embedded one of `pnpm start` is used.',
  ].join('\n\n')
}

/** A new advertiser secret: 256 random bits, URL-safe. */
const newToken = () => randomBytes(32).toString('base64url')

/** Reads the arguments into the work they ask for; a usage error is thrown before any connection. */
function parse(argv: string[]): (sql: Sql) => Promise<string> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      'landing-url': { type: 'string' },
      token: { type: 'string' },
      id: { type: 'string' },
      json: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    },
  })
  const [resource, action, extra] = positionals
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`)
  const id = () => {
    if (values.id === undefined) throw new UsageError('--id is required')
    if (!/^[1-9]\d{0,8}$/.test(values.id)) throw new BadArgument('--id must be a positive whole number')
    return Number(values.id)
  }
  const name = () => {
    if (!values.name) throw new UsageError('--name is required')
    if (values.name.length > 200) throw new BadArgument('--name must be at most 200 characters')
    return values.name
  }
  const landingUrl = () => {
    const url = values['landing-url']
    if (!url) throw new UsageError('--landing-url is required')
    const problem = landingUrlProblem(url)
    if (problem) throw new BadArgument(`--landing-url ${problem}`)
    return url
  }
  const token = () => {
    if (values.token === undefined) return newToken()
    if (values.token.length < 8 || values.token.length > 256)
      throw new BadArgument('--token must be 8 to 256 characters')
    return values.token
  }
  const list = (rows: Record<string, unknown>[], empty: string) =>
    values.json ? JSON.stringify(rows, null, 2) : formatTable(rows, empty)

  if (resource === 'retention') {
    if (action !== undefined) throw new UsageError(`unexpected argument "${action}"`)
    return retention(loadConfig().rawRetentionDays, values['dry-run'])
  }
  switch (`${resource} ${action}`) {
    case 'affiliate list':
      return async (sql) =>
        list(await sql`select id, name, created_at from affiliates order by id`, '(no affiliates yet)')
    case 'affiliate create': {
      const affiliate = name()
      return async (sql) => {
        const [row] = await sql`insert into affiliates (name) values (${affiliate}) returning id, name`
        return `created affiliate ${row!.id} (${row!.name})`
      }
    }
    case 'campaign list':
      // Tokens are secrets: never listed.
      return async (sql) =>
        list(await sql`select id, name, landing_url, created_at from campaigns order by id`, '(no campaigns yet)')
    case 'campaign create': {
      const [campaign, url, secret] = [name(), landingUrl(), token()]
      return async (sql) => {
        const [row] = await sql`
          insert into campaigns (name, landing_url, postback_token)
          values (${campaign}, ${url}, ${secret})
          returning id`
        return `created campaign ${row!.id}\npostback token (give it to the advertiser; shown once): ${secret}`
      }
    }
    case 'campaign set-landing-url': {
      const [campaignId, url] = [id(), landingUrl()]
      return async (sql) => {
        const rows = await sql`update campaigns set landing_url = ${url} where id = ${campaignId} returning id`
        if (rows.length === 0) throw new BadArgument(`no campaign ${campaignId}`)
        return `campaign ${campaignId} now redirects to ${url}`
      }
    }
    case 'campaign rotate-token': {
      const [campaignId, secret] = [id(), token()]
      return async (sql) => {
        const rows = await sql`update campaigns set postback_token = ${secret} where id = ${campaignId} returning id`
        if (rows.length === 0) throw new BadArgument(`no campaign ${campaignId}`)
        return `campaign ${campaignId} has a new postback token (shown once): ${secret}`
      }
    }
  }
  if (resource === undefined) throw new UsageError('a command is required')
  if (!Object.hasOwn(GROUPS, resource)) throw new UsageError(`unknown command "${resource}"`)
  throw new UsageError(action === undefined ? `${resource} needs a command` : `unknown ${resource} command "${action}"`)
}

function retention(retentionDays: number, dryRun: boolean): (sql: Sql) => Promise<string> {
  return async (sql) => {
    if (retentionDays === 0) return 'RAW_RETENTION_DAYS is 0: raw rows are kept forever; nothing to drop'
    const day = (d: ExpiredDay) => ({
      from: d.from ?? '(everything before)',
      to: d.to,
      partitions: d.partitions.join(' '),
      'clicks (estimate)': Math.round(d.clicks),
    })
    const rows = dryRun
      ? (await expiredDays(sql, { retentionDays })).map(day)
      : (await dropExpiredDays(sql, { retentionDays })).map((d) => ({
          ...day(d),
          'keys deleted': d.keysDeleted,
          'detach ms': Math.round(d.detachMs),
          'drop ms': Math.round(d.dropMs),
        }))
    const heading = dryRun
      ? `would drop the raw days older than ${retentionDays} days (dry run, nothing dropped):`
      : `dropped the raw days older than ${retentionDays} days:`
    return `${heading}\n${formatTable(rows, `(none: no raw day is older than ${retentionDays} days)`)}`
  }
}

await runCli({
  name: 'manage',
  usage,
  parse,
  async run(work) {
    const database = await openDatabase(loadConfig(), console.error)
    const sql = createSql(database.url, { max: 1, name: 'affiliate-manage' })
    try {
      console.log(await work(sql))
    } finally {
      await sql.end()
      await database.close()
    }
  },
})
