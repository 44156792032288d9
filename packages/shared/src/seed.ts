// Demo data for the README's curl examples. Applied only to an empty database, and
// only by callers that decided to (embedded server, or SEED_DEMO=true).
import type { Sql } from './db.ts'

export const demoAffiliates = [
  { id: 1, name: 'Acme Media' },
  { id: 2, name: 'Blue Pixel Partners' },
  { id: 3, name: 'Coupon Crew' },
] as const

export const demoCampaigns = [
  { id: 1, name: 'Summer Sale', landing_url: 'https://shop.example.com/summer?click_id={click_id}&src={sub1}', postback_token: 'demo-token-1' },
  { id: 2, name: 'VPN Trial', landing_url: 'https://vpn.example.net/trial', postback_token: 'demo-token-2' },
  { id: 3, name: 'Meal Kit', landing_url: 'https://meals.example.org/start?ref=aff{affiliate_id}', postback_token: 'demo-token-3' },
] as const

/** Returns true when it seeded, false when the database already had affiliates or campaigns. */
export async function seedDemo(sql: Sql): Promise<boolean> {
  return sql.begin(async (tx) => {
    // Serialise concurrent seeders; the emptiness check below is then exact.
    await tx`lock table affiliates, campaigns in exclusive mode`
    const [row] = await tx`select (select count(*) from affiliates) + (select count(*) from campaigns) as n`
    if (Number(row!.n) > 0) return false
    await tx`insert into affiliates ${tx(demoAffiliates.map((a) => ({ ...a })))}`
    await tx`insert into campaigns ${tx(demoCampaigns.map((c) => ({ ...c })))}`
    // Explicit ids were used: move the identity sequences past them.
    await tx`select setval(pg_get_serial_sequence('affiliates', 'id'), (select max(id) from affiliates))`
    await tx`select setval(pg_get_serial_sequence('campaigns', 'id'), (select max(id) from campaigns))`
    return true
  })
}
