// `pnpm test [files…]`: type-checks, starts a throwaway embedded PostgreSQL (or uses
// DATABASE_URL's server), migrates a template database, and runs tap against it.
import { spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { loadConfig } from '@affiliate/shared/config'
import { createSql, databaseUrl } from '@affiliate/shared/db'
import { startEmbedded, stopOnSignals } from '@affiliate/embedded/server'
import { migrate } from '@affiliate/shared/migrate'
import { ensurePartitions } from '@affiliate/shared/partitions'
import { TEMPLATE_DATABASE } from '@affiliate/shared/testing'

const files = process.argv.slice(2)
const config = loadConfig()

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env })
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

if (files.length === 0 && (await run('pnpm', ['typecheck'])) !== 0) {
  console.error('type check failed')
  process.exit(1)
}

const embedded = config.databaseUrl ? undefined : await startEmbedded()
if (embedded) stopOnSignals(embedded)
const serverUrl = config.databaseUrl ?? embedded!.url
let code = 1
try {
  const admin = createSql(serverUrl, { max: 1, name: 'affiliate-test-setup' })
  await admin.unsafe(`drop database if exists ${TEMPLATE_DATABASE} with (force)`)
  await admin.unsafe(`create database ${TEMPLATE_DATABASE}`)
  await admin.end()
  const template = createSql(databaseUrl(serverUrl, TEMPLATE_DATABASE), { max: 1 })
  await migrate(template)
  // As ingest does at start: tests that write directly (now, or a day ahead) find their partitions.
  await ensurePartitions(template)
  await template.end()

  // tap expands a directory only to the extensions it knows (not .ts with its TypeScript
  // plugin off), so `pnpm test services/ingest` becomes a glob of that folder's tests.
  const tapArgs = files.map((file) =>
    existsSync(file) && statSync(file).isDirectory() ? `${file.replace(/\/+$/, '')}/**/*.test.ts` : file,
  )
  code = await run('pnpm', ['exec', 'tap', ...tapArgs], { ...process.env, TEST_DATABASE_URL: serverUrl })
} finally {
  await embedded?.stop()
}
process.exit(code)
