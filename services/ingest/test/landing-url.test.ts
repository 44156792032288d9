import t from 'tap'
import { compileLandingUrl, type MacroValues } from '../src/landing-url.ts'

const values: MacroValues = {
  click_id: 'c1',
  affiliate_id: 7,
  campaign_id: 3,
  sub1: 'a b&c=d',
  sub2: null,
  sub3: '/../x',
  sub4: 'é',
  sub5: '#frag',
}

t.test('macros are filled URL-encoded; missing ones are empty', async (t) => {
  const url = compileLandingUrl(
    'https://x.example/p/{sub3}?c={click_id}&a={affiliate_id}&k={campaign_id}&s1={sub1}&s2={sub2}&s4={sub4}&s5={sub5}',
  )
  t.equal(url(values), 'https://x.example/p/%2F..%2Fx?c=c1&a=7&k=3&s1=a%20b%26c%3Dd&s2=&s4=%C3%A9&s5=%23frag')
})

t.test('click_id is appended when the URL has no {click_id}, before any fragment', async (t) => {
  t.equal(compileLandingUrl('https://x.example')(values), 'https://x.example/?click_id=c1')
  t.equal(compileLandingUrl('https://x.example/a')(values), 'https://x.example/a?click_id=c1')
  t.equal(compileLandingUrl('https://x.example/a?b=1')(values), 'https://x.example/a?b=1&click_id=c1')
  t.equal(compileLandingUrl('https://x.example/a?')(values), 'https://x.example/a?click_id=c1')
  t.equal(compileLandingUrl('https://x.example/a#top')(values), 'https://x.example/a?click_id=c1#top')
})

t.test('macros in the scheme or host are never filled: request values cannot pick the target', async (t) => {
  const url = compileLandingUrl('https://{sub1}.example/{sub1}')
  t.equal(url(values).split('/')[2], '{sub1}.example')
})

t.test('characters a Location header cannot carry are escaped', async (t) => {
  t.equal(compileLandingUrl('https://x.example/ünï code')(values), 'https://x.example/%C3%BCn%C3%AF%20code?click_id=c1')
})
