// Who may see what. AUTH_MODE=demo: picking an affiliate is enough (the original spec's
// simulated login). AUTH_MODE=key: `Authorization: Bearer <key>` on every /api request;
// an affiliate's key sees only its affiliate, an admin key sees all.
import type { AuthMode } from '@affiliate/shared/config'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Db } from './db.ts'
import { AdminRequired, InvalidApiKey, MissingApiKey, UnknownAffiliate } from './errors.ts'
import { affiliateExists } from './queries/affiliates.ts'
import { findApiKey } from './queries/api-keys.ts'

export type Viewer = { role: 'demo' } | { role: 'admin' } | { role: 'affiliate'; affiliateId: number }

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer
  }
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,200})$/

export const auth = fp<{ mode: AuthMode; db: Db }>(
  async (app, { mode, db }) => {
    // Set by the hook below on every request in this scope.
    app.decorateRequest<Viewer>('viewer', null as unknown as Viewer)
    app.addHook('onRequest', async (request, reply) => {
      if (mode === 'demo') {
        request.viewer = { role: 'demo' }
        return
      }
      const match = BEARER.exec(request.headers.authorization ?? '')
      reply.header('www-authenticate', 'Bearer realm="reporting"')
      if (!match) throw new MissingApiKey()
      const grant = await findApiKey(db, match[1]!)
      if (!grant) throw new InvalidApiKey()
      reply.removeHeader('www-authenticate')
      request.viewer = grant.is_admin ? { role: 'admin' } : { role: 'affiliate', affiliateId: grant.affiliate_id! }
    })
  },
  { name: 'auth' },
)

/** The affiliates a viewer may list: all (undefined) or exactly one. */
export function visibleAffiliate(viewer: Viewer): number | undefined {
  return viewer.role === 'affiliate' ? viewer.affiliateId : undefined
}

/**
 * preHandler for /api/affiliates/:id/…: another affiliate's id is 404 exactly like an
 * unknown one, so that ids cannot be probed with an affiliate's key.
 */
export function requireAffiliate(db: Db) {
  return async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const id = Number(request.params.id)
    const viewer = request.viewer
    if (viewer.role === 'affiliate' && viewer.affiliateId !== id) throw new UnknownAffiliate()
    if (!(await affiliateExists(db, id))) throw new UnknownAffiliate()
  }
}

/** preHandler for operators' routes: an admin key in key mode. */
export async function requireAdmin(request: FastifyRequest, _reply: FastifyReply) {
  if (request.viewer.role === 'affiliate') throw new AdminRequired()
}
