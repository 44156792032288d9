// `pnpm reconcile [--from <instant>] [--to <instant>] [--fix]`: compares the rollups with the
// raw rows. Default range: everything up to the end of the current hour. Exit 1 on drift
// (after --fix: only if the rebuild did not remove it).
import { parseArgs } from 'node:util'
import { BadArgument, runCli } from '@affiliate/shared/cli'
import { configOrExit, loadConfig } from '@affiliate/shared/config'
import { reconcile } from '../drift-report.ts'
import { type Range, parseRange } from '../range.ts'
import { openCliDatabase } from './open.ts'

const USAGE = `Usage: pnpm reconcile [--from INSTANT] [--to INSTANT] [--fix]

Compares click_stats_hourly and conversion_stats_hourly with the raw clicks and conversions,
prints the drift per affiliate, and exits 1 if there is any. Only the raw rows retention has
kept are compared (RAW_RETENTION_DAYS); older rollups are kept as they are, never rebuilt.

Flags:
  --from INSTANT  inclusive start, ISO-8601 (default: everything)
  --to INSTANT    exclusive end, ISO-8601 (default: the end of the current hour)
  --fix           rebuild the rollups of the range from the raw rows, in one transaction
  -h, --help      this help

Example:
  pnpm reconcile --from 2026-11-01T00:00Z --to 2026-12-01T00:00Z`

function parse(argv: string[]): { range: Range; fix: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: { from: { type: 'string' }, to: { type: 'string' }, fix: { type: 'boolean', default: false } },
  })
  try {
    return { range: parseRange({ from: values.from ?? '2000-01-01', to: values.to }), fix: values.fix }
  } catch (error) {
    throw new BadArgument((error as Error).message)
  }
}

await runCli({
  name: 'reconcile',
  usage: () => USAGE,
  parse,
  run: async ({ range, fix }) => {
    const { attributionWindowDays } = configOrExit(loadConfig)
    const { db, close } = await openCliDatabase()
    try {
      return await reconcile(db, range, { fix, attributionWindowDays, print: (line) => console.log(line) })
    } finally {
      await close()
    }
  },
})
