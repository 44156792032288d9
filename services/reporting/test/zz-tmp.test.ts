import t from 'tap'
import { build } from './helper.ts'
t.test('x', async (t) => {
  const { app } = await build(t)
  const r = await app.inject('/docs/')
  console.log(r.statusCode, JSON.stringify(r.headers))
  console.log(r.body)
  for (const u of ['/docs', '/docs/js/scalar.js']) { const x = await app.inject(u); console.log(u, x.statusCode, x.headers['content-type'], x.body.length) }
  console.log(app.printRoutes())
})
