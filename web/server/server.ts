// `node --import tsx web/server/server.ts`: serves web/dist on WEB_PORT. Run `pnpm --filter @affiliate/web build` first
// (pnpm start does). No database: the dashboard reads only the reporting API.
import { fileURLToPath } from 'node:url'
import { loadConfig } from '@affiliate/shared/config'
import { serve } from '@affiliate/http/serve'
import { build } from './app.ts'

const config = loadConfig()
const app = await build({
  distDir: fileURLToPath(new URL('../dist', import.meta.url)),
  reportingUrl: config.reportingUrl,
  logLevel: config.logLevel,
  proxyTimeoutMs: config.reportingProxyTimeoutMs,
  requestTimeoutMs: config.requestTimeoutMs,
})
await serve(app, { host: config.host, port: config.webPort })
