// The drift report of `pnpm reconcile` (cli/reconcile.ts): compares the rollups with the
// raw tables over a range, prints the drift per affiliate, and with fix rebuilds the
// range. Returns the process exit code.
//
// Only the retained raw range is compared. Rollups are kept forever, raw rows for
// RAW_RETENTION_DAYS: before raw_retention.dropped_before there are no clicks to compare
// with, and conversions are complete only an attribution window later (those of dropped
// clicks went with them). Rollups before that are history: reported as such, never
// compared, never rebuilt (a rebuild from missing rows would erase them).
import type { Db } from './db.ts'
import {
  findClickDrift,
  findConversionDrift,
  rawDroppedBefore,
  rebuildRollups,
  type Ranges,
} from './queries/rollup-drift.ts'
import type { Range } from './range.ts'

const DAY_MS = 86_400_000

export interface ReconcileOptions {
  fix: boolean
  print: (line: string) => void
  /** ATTRIBUTION_WINDOW_DAYS: how long after a click its conversions may arrive. */
  attributionWindowDays: number
}

export async function reconcile(db: Db, range: Range, options: ReconcileOptions) {
  const { print } = options
  print(`reconciling rollups with raw rows from ${range.from.toISOString()} to ${range.to.toISOString()}`)
  const dropped = await rawDroppedBefore(db)
  const ranges: Ranges = {
    clicks: retained(range, dropped),
    conversions: retained(range, dropped && new Date(dropped.getTime() + options.attributionWindowDays * DAY_MS)),
  }
  for (const [table, kept] of Object.entries(ranges)) {
    const since = kept?.from ?? range.to
    if (since > range.from) {
      print(`${table} before ${since.toISOString()}: raw rows dropped by retention; their rollups are kept as they are`)
    }
  }
  const drift = await describeDrift(db, ranges)
  if (drift.length === 0) {
    print('no drift: every rollup matches the raw rows')
    return 0
  }
  for (const line of drift) print(line)
  if (!options.fix) {
    print('drift found; run with --fix to rebuild the range from the raw rows')
    return 1
  }
  const left = await db.transaction().execute(async (tx) => {
    await rebuildRollups(tx, ranges)
    return describeDrift(tx, ranges)
  })
  if (left.length > 0) {
    for (const line of left) print(`still: ${line}`)
    return 1
  }
  print('fixed: the range was rebuilt from the raw rows and now matches')
  return 0
}

/** The part of `range` from `since` on; undefined when none of it is retained. */
function retained(range: Range, since: Date | null): Range | undefined {
  const from = since !== null && since > range.from ? since : range.from
  return from < range.to ? { from, to: range.to } : undefined
}

async function describeDrift(db: Db, ranges: Ranges): Promise<string[]> {
  const [clicks, conversions] = await Promise.all([
    ranges.clicks ? findClickDrift(db, ranges.clicks) : [],
    ranges.conversions ? findConversionDrift(db, ranges.conversions) : [],
  ])
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
