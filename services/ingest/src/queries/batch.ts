// Batches travel as one array parameter per column (so no parameter limit). postgres.js
// types a plain array by its first element, and maps an element type to its array type only
// once a connection has fetched the type catalogue; array type OIDs work from the start.
export const TEXT = 1009
export const INT4 = 1007
export const BOOL = 1000

/**
 * Indices of the first item of each key, in key order (so that concurrent batches take
 * row locks in one order), and of the items repeating a key earlier in the batch.
 */
export function firstOfEachKey<T>(items: T[], key: (item: T) => string): { first: number[]; rest: number[] } {
  const order = items.map((_, i) => i)
  order.sort((a, b) => {
    const ka = key(items[a]!)
    const kb = key(items[b]!)
    return ka < kb ? -1 : ka > kb ? 1 : a - b
  })
  const first: number[] = []
  const rest: number[] = []
  for (let n = 0; n < order.length; n++) {
    const i = order[n]!
    if (n > 0 && key(items[order[n - 1]!]!) === key(items[i]!)) rest.push(i)
    else first.push(i)
  }
  return { first, rest }
}
