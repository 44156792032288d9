/** Paths answered by the reporting service — its API, OpenAPI document and reference page — proxied
 * from the dashboard's origin by both the production server (app.ts) and `pnpm dev` (vite.config.ts). */
export const PROXIED = ['/api', '/openapi.json', '/docs'] as const
