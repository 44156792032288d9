// API keys: 256 random bits shown once; only their SHA-256 is stored and looked up.
import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../db.ts'

const PREFIX = 'ak_'

export function mintApiKey(): string {
  return PREFIX + randomBytes(32).toString('base64url')
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key).digest()
}

/**
 * The key's grant, or undefined. An index lookup on the hash: the caller cannot steer the
 * hash's bytes, so the comparison's timing reveals nothing about stored keys.
 */
export function findApiKey(db: Db, key: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'affiliate_id', 'is_admin'])
    .where('key_hash', '=', hashApiKey(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
}

export function insertApiKey(db: Db, grant: { affiliateId: number | null; label: string | null }, key: string) {
  return db
    .insertInto('api_keys')
    .values({
      key_hash: hashApiKey(key),
      affiliate_id: grant.affiliateId,
      is_admin: grant.affiliateId === null,
      label: grant.label,
    })
    .returning(['id', 'affiliate_id', 'is_admin'])
    .executeTakeFirstOrThrow()
}

export function listApiKeys(db: Db) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'affiliate_id', 'is_admin', 'label', 'created_at', 'revoked_at'])
    .orderBy('id')
    .execute()
}

export async function revokeApiKey(db: Db, id: number): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}
