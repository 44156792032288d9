import tailwindcss from '@tailwindcss/vite'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { PROXIED } from './server/proxied.ts'

export default defineConfig(async ({ command }) => {
  // The dev server (`pnpm dev`) answers on WEB_PORT with the same /api proxy as web/server.
  // A build needs no configuration; the dev server runs under tsx (package.json), which
  // lets Node load the shared TypeScript config module.
  const config = command === 'serve' ? (await import('@affiliate/shared/config')).loadConfig() : undefined
  return {
    plugins: [react(), tailwindcss()],
    server: config && {
      host: config.host,
      port: config.webPort,
      strictPort: true,
      proxy: Object.fromEntries(PROXIED.map((prefix) => [prefix, { target: config.reportingUrl }])),
    },
    build: {
      // Prints each chunk's gzipped size: the initial JavaScript must stay under 200 kB gzipped.
      reportCompressedSize: true,
    },
  }
})
