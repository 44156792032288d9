// The only place that listens and handles signals. On SIGTERM/SIGINT: stop accepting,
// let in-flight requests finish (and their writes commit), run onClose hooks, exit 0.
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'

export async function serve(app: FastifyInstance, { host, port }: { host: string; port: number }) {
  closeWithGrace({ delay: 15_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an uncaught error')
    else app.log.info({ signal }, 'closing')
    await app.close()
  })
  await app.listen({ host, port })
}
