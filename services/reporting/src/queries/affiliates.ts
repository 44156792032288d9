// Affiliates and campaigns: the picker's list, existence checks, postback URL inputs, offers.
import type { Db } from '../db.ts'

/** Ids are int4: a larger one names nothing (and must not reach PostgreSQL as a parameter). */
const MAX_ID = 2_147_483_647

/** All affiliates, or only the one an affiliate key may see. */
export function listAffiliates(db: Db, onlyId?: number) {
  return db
    .selectFrom('affiliates')
    .select(['id', 'name'])
    .$if(onlyId !== undefined, (qb) => qb.where('id', '=', onlyId!))
    .orderBy('id')
    .execute()
}

export async function affiliateExists(db: Db, id: number): Promise<boolean> {
  if (id > MAX_ID) return false
  const row = await db.selectFrom('affiliates').select('id').where('id', '=', id).executeTakeFirst()
  return row !== undefined
}

export async function findCampaign(db: Db, id: number) {
  if (id > MAX_ID) return undefined
  return db.selectFrom('campaigns').select(['id', 'name', 'postback_token']).where('id', '=', id).executeTakeFirst()
}

/** Every campaign, by id: what the offers list shows. */
export function listCampaigns(db: Db) {
  return db.selectFrom('campaigns').select(['id', 'name']).orderBy('id').execute()
}
