// The floor: the original spec's design, one INSERT (its own commit) per request.
import { randomUUID } from 'node:crypto'
import { createSql } from '@affiliate/shared/db'
import Fastify from 'fastify'

const sql = createSql(process.argv[3]!, { max: 10, name: 'bench-floor' })
const app = Fastify({ logger: false })
app.get<{ Querystring: { affiliate_id: string; campaign_id: string } }>('/click', async (request, reply) => {
  const clickId = randomUUID()
  await sql`insert into clicks (click_id, affiliate_id, campaign_id)
    values (${clickId}, ${Number(request.query.affiliate_id)}, ${Number(request.query.campaign_id)})`
  return reply.redirect(`https://shop.example.com/summer?click_id=${clickId}`, 302)
})
await app.listen({ host: '127.0.0.1', port: Number(process.argv[2]) })
