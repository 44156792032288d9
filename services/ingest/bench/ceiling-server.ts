// The ceiling: bare Fastify answering the click's 302 with no database at all.
import Fastify from 'fastify'

const app = Fastify({ logger: false })
app.get('/click', async (_request, reply) => reply.redirect('https://shop.example.com/summer?click_id=x', 302))
await app.listen({ host: '127.0.0.1', port: Number(process.argv[2]) })
