// `pnpm apikey …`, `pnpm reconcile …`: the reporting service's CLIs take DATABASE_URL only.
// This opens the local database for them — DATABASE_URL, or the embedded server (used when
// `pnpm start` runs it, started for the command and stopped after it when not) — and runs
// the CLI with it. Usage: node --import tsx scripts/with-database.ts <cli.ts> [args…]
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { asksForHelp } from '@affiliate/shared/cli'
import { configOrExit, loadConfig } from '@affiliate/shared/config'
import { openDatabase } from './database.ts'

const [entry, ...args] = process.argv.slice(2)
// `pnpm apikey --help` answers at once, without starting a database.
const database = asksForHelp(args) ? undefined : await openDatabase(configOrExit(loadConfig), console.error)
const cli = spawn(process.execPath, ['--import', 'tsx', entry!, ...args], {
  stdio: 'inherit',
  env: database ? { ...process.env, DATABASE_URL: database.url } : process.env,
})
// Ctrl-C reaches the CLI too; this process waits for it, then stops the server it started.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {})
const [code, signal] = (await once(cli, 'exit')) as [number | null, NodeJS.Signals | null]
await database?.close()
process.exit(code ?? (signal ? 1 : 0))
