// The drift report of `pnpm reconcile` (cli/reconcile.ts): compares the rollups with the
// raw tables over a range, prints the drift per affiliate, and with fix rebuilds the
// range. Returns the process exit code.
import type { Db } from './db.ts'
import { findClickDrift, findConversionDrift, rebuildRollups } from './queries/rollup-drift.ts'
import type { Range } from './range.ts'

export async function reconcile(db: Db, range: Range, options: { fix: boolean; print: (line: string) => void }) {
  const { print } = options
  print(`reconciling rollups with raw rows from ${range.from.toISOString()} to ${range.to.toISOString()}`)
  const drift = await describeDrift(db, range)
  if (drift.length === 0) {
    print('no drift: every rollup matches the raw rows')
    return 0
  }
  for (const line of drift) print(line)
  if (!options.fix) {
    print('drift found; run with --fix to rebuild the range from the raw rows')
    return 1
  }
  await rebuildRollups(db, range)
  const left = await describeDrift(db, range)
  if (left.length > 0) {
    for (const line of left) print(`still: ${line}`)
    return 1
  }
  print('fixed: the range was rebuilt from the raw rows and now matches')
  return 0
}

async function describeDrift(db: Db, range: Range): Promise<string[]> {
  const [clicks, conversions] = await Promise.all([findClickDrift(db, range), findConversionDrift(db, range)])
  const diff = (raw: number, rollup: number) =>
    `raw ${raw}, rollup ${rollup} (${rollup - raw >= 0 ? '+' : ''}${rollup - raw})`
  return [
    ...clicks.map(
      (d) =>
        `affiliate ${d.affiliate_id}: clicks ${diff(d.raw_clicks, d.rollup_clicks)}, ` +
        `bot_clicks ${diff(d.raw_bot_clicks, d.rollup_bot_clicks)} in ${d.cells} hour×campaign cell(s)`,
    ),
    ...conversions.map(
      (d) =>
        `affiliate ${d.affiliate_id}: ${d.status} ${d.currency} conversions ${diff(d.raw_conversions, d.rollup_conversions)}, ` +
        `amount raw ${d.raw_amount}, rollup ${d.rollup_amount} in ${d.cells} cell(s)`,
    ),
  ].sort((a, b) => affiliateOf(a) - affiliateOf(b))
}

const affiliateOf = (line: string) => Number(/^affiliate (\d+)/.exec(line)?.[1])
