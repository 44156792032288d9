import t from 'tap'
import { createSql } from '../src/db.ts'
import { landingUrlProblem } from '../src/landing-url.ts'
import { createTestDatabase } from '../src/testing.ts'

const GOOD = [
  'https://shop.example.com/summer?click_id={click_id}&src={sub1}',
  'HTTP://Shop.Example.com',
  'https://meals.example.org/start?ref=aff{affiliate_id}#c{campaign_id}',
  // 2,048 characters, as PostgreSQL counts them (each emoji is two UTF-16 code units).
  `https://x.test/${'😀'.repeat(2048 - 'https://x.test/'.length)}`,
]
const BAD = [
  'javascript:alert(1)',
  'https://',
  'https:///path',
  'https://?q=1',
  'ftp://files.example.com/',
  ' https://leading-space.example.com/',
  `https://x.test/${'a'.repeat(2048)}`,
]

t.test('what the rule accepts the database accepts, and what the database refuses the rule refuses', async (t) => {
  const sql = createSql(await createTestDatabase(t), { max: 1 })
  t.teardown(() => sql.end())
  const insert = (url: string) =>
    sql`insert into campaigns (name, landing_url, postback_token) values ('x', ${url}, 'token-123456')`
  for (const url of GOOD) {
    t.equal(landingUrlProblem(url), undefined, url.slice(0, 60))
    await t.resolves(insert(url))
  }
  for (const url of BAD) {
    t.ok(landingUrlProblem(url), url.slice(0, 60))
    await t.rejects(insert(url), { code: '23514' })
  }
})

t.test('the rule refuses what the database cannot see: unknown macros and macros in the host', async (t) => {
  t.equal(
    landingUrlProblem('https://shop.test/?c={clickid}'),
    'has an unknown macro {clickid}; the known macros are ' +
      '{click_id} {affiliate_id} {campaign_id} {sub1} {sub2} {sub3} {sub4} {sub5}',
  )
  t.match(landingUrlProblem('https://shop.test/{}?a={SUB1}'), /^has unknown macros \{\} \{SUB1\};/)
  t.equal(
    landingUrlProblem('https://{sub1}.shop.test/'),
    'may hold macros only after the host, in the path, query or fragment',
  )
  t.equal(
    landingUrlProblem('https://shop .test/'),
    'must be an http:// or https:// URL with a host, e.g. https://shop.example.com/?click_id={click_id}',
  )
  t.equal(
    landingUrlProblem(`https://x.test/${'a'.repeat(2034)}`),
    'must be at most 2048 characters long; this one has 2049',
  )
})
