// Security headers (@fastify/helmet) on every answer, and CORS only for the origins CORS_ORIGINS
// names (the dashboard needs none: it calls the API through its own server's proxy).
// The API answers JSON, so its Content-Security-Policy allows nothing. The one page, /docs
// (Scalar's API reference, served from this process), gets a page's policy instead, which
// allows its inline start-up script by hash, computed from the page as sent.
import { createHash } from 'node:crypto'
import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import type { FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'

const NOTHING = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
}

const PAGE = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  // Scalar adds its stylesheet as <style> elements at run time.
  styleSrc: ["'self'", "'unsafe-inline'"],
  scriptSrcAttr: ["'none'"],
}

const INLINE_SCRIPT = /<script\b[^>]*>([\s\S]*?)<\/script>/gi

/** CSP sources for the inline scripts of `html`, as a browser hashes them (line ends as LF). */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(INLINE_SCRIPT)]
    .map(([, body = '']) => body.replace(/\r\n?/g, '\n'))
    .filter((body) => body.trim() !== '')
    .map((body) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`)
}

function isPage(reply: FastifyReply, payload: unknown): payload is string {
  return typeof payload === 'string' && String(reply.getHeader('content-type')).startsWith('text/html')
}

export const securityHeaders = fp<{ corsOrigins: readonly string[] }>(
  async (app: FastifyInstance, { corsOrigins }) => {
    await app.register(helmet, { contentSecurityPolicy: { useDefaults: false, directives: NOTHING } })
    app.addHook('onSend', async (_request, reply, payload) => {
      if (isPage(reply, payload)) {
        const scriptSrc = ["'self'", ...inlineScriptHashes(payload)]
        reply.helmet({ contentSecurityPolicy: { useDefaults: false, directives: { ...PAGE, scriptSrc } } })
      }
      return payload
    })
    if (corsOrigins.length > 0) {
      await app.register(cors, { origin: [...corsOrigins], methods: ['GET', 'HEAD'] })
    }
  },
  { name: 'security-headers' },
)
