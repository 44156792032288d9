// The only place that listens and handles signals. On SIGTERM/SIGINT: stop accepting,
// let in-flight requests finish (and their writes commit), run onClose hooks, exit 0.
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'

// Capped by the kernel's net.core.somaxconn (4096 on current Linux).
const BACKLOG = 4096

export async function serve(app: FastifyInstance, { host, port }: { host: string; port: number }) {
  let closing = false
  const { close } = closeWithGrace({ delay: 15_000 }, async ({ signal, err, manual }) => {
    closing = true
    if (err) app.log.error({ err }, 'closing after an uncaught error')
    else if (manual) app.log.warn('closing: the supervisor that started this process is gone')
    else app.log.info({ signal }, 'closing')
    await app.close()
  })
  // Started by `pnpm start`/`pnpm dev` (scripts/supervise.ts), with an IPC channel: its loss
  // means the supervisor died without stopping us; close as on SIGTERM rather than linger.
  if (process.send) process.once('disconnect', () => closing || void close())
  // A burst of new connections (thousands at once) waits in the kernel's accept queue rather
  // than overflowing Node's default of 511, whose dropped SYNs are retried after 1, 3, 7 s.
  await app.listen({ host, port, backlog: BACKLOG })
}
