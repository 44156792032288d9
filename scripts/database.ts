// How the runners and CLIs open their database: DATABASE_URL, or the embedded server (see
// packages/embedded). A failure is one line naming its cause and fix, and exit code 1.
import { EmbeddedError, type LocalDatabase, openLocalDatabase } from '@affiliate/embedded/local'

type Options = Parameters<typeof openLocalDatabase>

export async function openDatabase(config: Options[0], log: (line: string) => void, options?: Options[1]): Promise<LocalDatabase> {
  try {
    return await openLocalDatabase(config, options)
  } catch (error) {
    if (error instanceof EmbeddedError) log(error.message)
    else {
      // The server's or the driver's own words (a refused connection, a bad password).
      const { message, code } = error as { message?: string; code?: unknown }
      const detail = typeof code === 'string' && !message?.includes(code) ? ` (${code})` : ''
      log(`could not open ${config.databaseUrl ? 'the database at DATABASE_URL' : 'the embedded database'}: ${message}${detail}`)
    }
    process.exit(1)
  }
}
