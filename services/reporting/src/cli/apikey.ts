// `pnpm apikey …`: API keys for AUTH_MODE=key. A new key is printed once (its last line of
// output); the database keeps only its SHA-256.
import { parseArgs } from 'node:util'
import { BadArgument, formatTable, runCli, UsageError } from '@affiliate/shared/cli'
import { insertApiKey, listApiKeys, mintApiKey, revokeApiKey } from '../queries/api-keys.ts'
import { openCliDatabase } from './open.ts'

const USAGE = `Usage: pnpm apikey <command> [flags]

Commands:
  create --affiliate N [--label TEXT]   a key that sees only affiliate N
  create --admin [--label TEXT]         a key that sees every affiliate and the advertisers' tokens
  list [--json]                         every key: id, who it is for, active or revoked (never the key)
  revoke ID                             the key stops working at once (exit 1 when no active key has that id)

Flags:
  --affiliate N   the affiliate's id (see pnpm manage affiliate list)
  --admin         an admin key instead
  --label TEXT    a note for yourself, up to 200 characters
  --json          list as JSON instead of a table
  -h, --help      this help

Example:
  pnpm apikey create --affiliate 1 --label "Acme Media's dashboard"

Send a key as: Authorization: Bearer <key>. DATABASE_URL names the database; unset, the
embedded one of \`pnpm start\` is used.`

type Command =
  | { action: 'create'; affiliateId: number | null; label: string | null }
  | { action: 'list'; json: boolean }
  | { action: 'revoke'; id: number }

const ID = /^[1-9][0-9]{0,8}$/

function parse(argv: string[]): Command {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      affiliate: { type: 'string' },
      admin: { type: 'boolean', default: false },
      label: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  })
  const [action, arg, extra] = positionals
  if (extra !== undefined || (arg !== undefined && action !== 'revoke'))
    throw new UsageError(`unexpected argument "${extra ?? arg}"`)
  switch (action) {
    case 'create':
      if (values.admin === (values.affiliate !== undefined))
        throw new UsageError('give exactly one of --affiliate N or --admin')
      if (values.affiliate !== undefined && !ID.test(values.affiliate))
        throw new BadArgument('--affiliate must be an affiliate id')
      if (values.label !== undefined && values.label.length > 200)
        throw new BadArgument('--label must be at most 200 characters')
      return {
        action,
        affiliateId: values.affiliate === undefined ? null : Number(values.affiliate),
        label: values.label ?? null,
      }
    case 'list':
      return { action, json: values.json }
    case 'revoke':
      if (!ID.test(arg ?? '')) throw new UsageError('revoke needs a key id (see pnpm apikey list)')
      return { action, id: Number(arg) }
    case undefined:
      throw new UsageError('a command is required')
    default:
      throw new UsageError(`unknown command "${action}"`)
  }
}

await runCli({
  name: 'apikey',
  usage: () => USAGE,
  parse,
  async run(command) {
    const { db, close } = await openCliDatabase()
    try {
      if (command.action === 'create') {
        const { affiliateId } = command
        const exists =
          affiliateId === null ||
          (await db.selectFrom('affiliates').select('id').where('id', '=', affiliateId).executeTakeFirst())
        if (!exists) throw new BadArgument(`no affiliate ${affiliateId}`)
        const key = mintApiKey()
        const row = await insertApiKey(db, { affiliateId, label: command.label }, key)
        console.log(`created key ${row.id} for ${row.is_admin ? 'admin (every affiliate)' : `affiliate ${row.affiliate_id}`}.`)
        console.log('It is shown only this once; store it now. Send it as: Authorization: Bearer <key>')
        console.log(key)
      } else if (command.action === 'list') {
        const keys = await listApiKeys(db)
        const rows = keys.map((k) => ({
          id: k.id,
          for: k.is_admin ? 'admin' : `affiliate ${k.affiliate_id}`,
          state: k.revoked_at ? `revoked ${k.revoked_at.toISOString()}` : 'active',
          created_at: k.created_at,
          label: k.label,
        }))
        console.log(command.json ? JSON.stringify(keys, null, 2) : formatTable(rows, '(no keys yet)'))
      } else {
        if (!(await revokeApiKey(db, command.id))) throw new Error(`no active key ${command.id}`)
        console.log(`revoked key ${command.id}`)
      }
    } finally {
      await close()
    }
  },
})
