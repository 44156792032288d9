// pnpm reconcile [--from <instant>] [--to <instant>] [--fix]
// Default range: everything up to the end of the current hour. Exit 1 on drift (after
// --fix: only if the rebuild did not remove it).
import { parseArgs } from 'node:util'
import { reconcile } from '../drift-report.ts'
import { parseRange } from '../range.ts'
import { openCliDatabase } from './open.ts'

const { values } = parseArgs({
  options: { from: { type: 'string' }, to: { type: 'string' }, fix: { type: 'boolean', default: false } },
})
let range
try {
  range = parseRange({ from: values.from ?? '1970-01-01', to: values.to })
} catch (error) {
  console.error(`reconcile: ${(error as Error).message}`)
  process.exit(2)
}
const { db, close } = await openCliDatabase()
let code = 1
try {
  code = await reconcile(db, range, { fix: values.fix, print: (line) => console.log(line) })
} finally {
  await close()
}
process.exit(code)
