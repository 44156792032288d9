// Batches travel as one array parameter per column (so no parameter limit). postgres.js
// types a plain array by its first element; these element OIDs make the array type explicit.
export const TEXT = 25
export const INT4 = 23
export const BOOL = 16

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
