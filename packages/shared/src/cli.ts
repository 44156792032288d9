// How every operator CLI (pnpm manage, pnpm apikey, pnpm reconcile) answers, in one place: --help prints
// the usage on stdout and exits 0; a wrong command line prints what is wrong on stderr and
// exits 2, before any database is touched; any other failure prints one line, never a
// stack trace, and exits 1.

/** No command, an unknown one, or flags that do not go together: exit 2, with the usage. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** One value is wrong (an id, a URL): exit 2 with a message that names it and its rule. */
export class BadArgument extends UsageError {
  override name = 'BadArgument'
}

export interface Cli<Command> {
  name: string
  /** The usage for these arguments: the whole tool's, or the part about the command they name. */
  usage(argv: string[]): string
  /** Reads the arguments without touching anything; throws UsageError. */
  parse(argv: string[]): Command
  /** Does the work; resolves to the exit code (0 when nothing is returned). */
  run(command: Command): Promise<number | void>
}

export async function runCli<Command>(cli: Cli<Command>, argv = process.argv.slice(2)): Promise<never> {
  process.exit(await exitCode(cli, argv))
}

/** `--help` or `-h` anywhere: answered from the usage alone, so nothing opens a database for it. */
export function asksForHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h')
}

async function exitCode<Command>(cli: Cli<Command>, argv: string[]): Promise<number> {
  if (asksForHelp(argv)) {
    console.log(cli.usage(argv))
    return 0
  }
  try {
    return (await cli.run(cli.parse(argv))) ?? 0
  } catch (error) {
    if (error instanceof BadArgument) {
      console.error(`${cli.name}: ${error.message}`)
      return 2
    }
    if (error instanceof UsageError || isParseArgsError(error)) {
      console.error(`${cli.name}: ${(error as Error).message}\n\n${cli.usage(argv)}`)
      return 2
    }
    console.error(`${cli.name}: ${oneLine(error)}`)
    return 1
  }
}

/** util.parseArgs refuses unknown flags and missing values with these codes. */
function isParseArgsError(error: unknown): boolean {
  return String((error as { code?: unknown })?.code).startsWith('ERR_PARSE_ARGS_')
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'CONNECT_TIMEOUT'])

function oneLine(error: unknown): string {
  // Node reports a failed connection to a name with several addresses as an AggregateError.
  if (error instanceof AggregateError && error.errors.length > 0) return oneLine(error.errors[0])
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown }
  const [text = ''] = String(message ?? error).split('\n')
  return typeof code === 'string' && UNREACHABLE.has(code) ? `cannot reach the database (${text})` : text
}

/** Rows as columns aligned under their names (numbers to the right), or `empty` when there are none. */
export function formatTable(rows: Record<string, unknown>[], empty: string): string {
  if (rows.length === 0) return empty
  const names = Object.keys(rows[0]!)
  const cells = rows.map((row) => names.map((name) => formatCell(row[name])))
  const widths = names.map((name, i) => Math.max(name.length, ...cells.map((line) => line[i]!.length)))
  const right = names.map((name) => rows.every((row) => typeof row[name] === 'number'))
  const line = (values: string[]) =>
    values
      .map((value, i) => (right[i] ? value.padStart(widths[i]!) : value.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [names, ...cells].map(line).join('\n')
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  return value instanceof Date ? value.toISOString() : String(value)
}
