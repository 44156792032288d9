// The API reference at /docs (Fastify answers /docs with a 301 to /docs/): Scalar, served
// from this process and set up to load nothing from elsewhere, so it works offline and
// behind a firewall. It shows the reference only: no Scalar fonts, developer toolbar
// (Share, Generate SDK, Deploy), AI agent, MCP, hosted API client, download links or telemetry.
import scalar from '@scalar/fastify-api-reference'
import type { FastifyInstance } from 'fastify'

/** The dashboard's icon: a blue rounded square. */
const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2563eb"/></svg>'

export async function docs(app: FastifyInstance) {
  app.get('/docs/favicon.svg', { schema: { hide: true } }, (_request, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON),
  )
  await app.register(scalar, {
    routePrefix: '/docs',
    configuration: {
      url: '/openapi.json',
      pageTitle: 'Affiliate tracker — Reporting API',
      favicon: '/docs/favicon.svg',
      withDefaultFonts: false,
      showDeveloperTools: 'never',
      hideClientButton: true,
      documentDownloadType: 'none',
      agent: { disabled: true },
      mcp: { disabled: true },
      telemetry: false,
    },
  })
}
