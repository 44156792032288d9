// Link previews (Slack, WhatsApp, Facebook…) and crawlers inflate click counts; their
// clicks are stored with is_bot so that reports can leave them out. isbot's list also
// matches curl, which a person uses to try a link (the README does): curl is not a bot here.
import { isbot } from 'isbot'

const CURL = /^curl\/\d/i
// Real traffic repeats a small set of user agents; the list is a large regular expression.
const MAX_CACHED = 2000
const cache = new Map<string, boolean>()

export function isBotUserAgent(userAgent: string | null): boolean {
  if (userAgent === null) return false
  let bot = cache.get(userAgent)
  if (bot === undefined) {
    bot = !CURL.test(userAgent) && isbot(userAgent)
    if (cache.size >= MAX_CACHED) cache.clear()
    cache.set(userAgent, bot)
  }
  return bot
}
