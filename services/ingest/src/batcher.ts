// Group commit: concurrent requests are coalesced into one write, started as soon as a
// flush slot is free (no timer: at low load a request waits for nothing but its own
// write), and each request is answered only when the write holding it has committed.
// If a batch fails, its rows are retried alone so that only a bad row gets the error;
// if the store is unreachable, every request of the batch gets that error and none is
// acknowledged.
//
// Bounds: a push beyond `limit` items queued or being written is refused at once, and a
// push not settled by its deadline is rejected then — dropped if it is still queued (never
// written), answered if it is being written (that write may still commit: a retry with the
// same key finds it). One timer serves every deadline: pushes are queued in order, so the
// oldest one pending is the next to expire; it is armed for that one, not per push.

export interface BatcherOptions<I, O> {
  /** Writes a batch; returns one outcome per item, in order, or an Error for that item alone. */
  write: (items: I[]) => Promise<(O | Error)[]>
  maxBatch: number
  /** Writes in flight at once. */
  slots: number
  /** True when an error means the store cannot be reached: retrying rows alone is pointless. */
  isUnavailable: (error: unknown) => boolean
  /** A push not settled `ms` after it was made is rejected with `error()`. */
  timeout?: { ms: number; error: () => Error }
  /** At most `pending` items queued or being written; a push beyond it is rejected at once with `error()`. */
  limit?: { pending: number; error: () => Error }
  onFlush?: (size: number, seconds: number) => void
  onError?: (error: unknown, size: number) => void
}

export interface Batcher<I, O> {
  push(item: I): Promise<O>
  /** Resolves when everything pushed so far has been written (or failed). */
  drain(): Promise<void>
}

interface Entry<I, O> {
  item: I
  resolve: (value: O) => void
  reject: (error: Error) => void
  /** performance.now() past which the push is rejected. */
  deadline: number
}

export function createBatcher<I, O>(options: BatcherOptions<I, O>): Batcher<I, O> {
  const { timeout, limit } = options
  let queue: Entry<I, O>[] = []
  let active = 0
  let scheduled = false
  let idle: (() => void)[] = []
  // Batches being written, and how many items they hold.
  const writing = new Set<Entry<I, O>[]>()
  let writingItems = 0
  let timer: NodeJS.Timeout | undefined
  // While the store stalls a deadline passes with nearly every push; expiring them in sweeps
  // this far apart keeps it one timer per sweep, each answer at most 5% late.
  const sweepMs = timeout ? Math.max(1, timeout.ms / 20) : 0

  function schedule() {
    if (scheduled || active >= options.slots || queue.length === 0) return
    scheduled = true
    // After the current I/O phase: requests parsed in the same turn of the event loop join.
    setImmediate(startFlushes)
  }

  function startFlushes() {
    scheduled = false
    while (active < options.slots && queue.length > 0) {
      let batch: Entry<I, O>[]
      if (queue.length <= options.maxBatch) {
        batch = queue
        queue = []
      } else batch = queue.splice(0, options.maxBatch)
      active++
      void flush(batch, release)
    }
  }

  // A slot is freed as soon as its write has committed, before the answers go out: the
  // rows that queued during the write start their own at once, and PostgreSQL works on
  // them while this event loop writes the responses (not after, as a timer would).
  function release() {
    active--
    if (queue.length > 0) startFlushes()
    else if (active === 0) for (const done of idle.splice(0)) done()
  }

  async function flush(batch: Entry<I, O>[], done: () => void = () => {}) {
    const started = performance.now()
    writing.add(batch)
    writingItems += batch.length
    let outcomes: (O | Error)[]
    try {
      outcomes = await options.write(batch.map((e) => e.item))
    } catch (error) {
      written(batch)
      options.onError?.(error, batch.length)
      if (batch.length === 1 || options.isUnavailable(error)) {
        for (const entry of batch) entry.reject(asError(error))
      } else await Promise.all(batch.map((entry) => flush([entry])))
      done()
      return
    }
    written(batch)
    options.onFlush?.(batch.length, (performance.now() - started) / 1000)
    done()
    settle(batch, outcomes)
  }

  function written(batch: Entry<I, O>[]) {
    writing.delete(batch)
    writingItems -= batch.length
  }

  // A settled promise ignores a later reject or resolve: an entry answered by its deadline
  // stays answered whatever its write does afterwards.
  function expire() {
    timer = undefined
    const now = performance.now()
    let expired = 0
    while (expired < queue.length && queue[expired]!.deadline <= now) expired++
    for (const entry of queue.splice(0, expired)) entry.reject(timeout!.error())
    let next = queue[0]?.deadline ?? Infinity
    for (const batch of writing) {
      for (const entry of batch) {
        if (entry.deadline <= now) entry.reject(timeout!.error())
        else next = Math.min(next, entry.deadline)
      }
    }
    if (next !== Infinity) arm(next - now)
  }

  function arm(ms: number) {
    timer = setTimeout(expire, Math.max(ms, sweepMs))
  }

  function settle(batch: Entry<I, O>[], outcomes: (O | Error)[]) {
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i]
      if (outcome instanceof Error) batch[i]!.reject(outcome)
      else batch[i]!.resolve(outcome as O)
    }
  }

  return {
    push(item) {
      if (limit && queue.length + writingItems >= limit.pending) return Promise.reject(limit.error())
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject, deadline: timeout ? performance.now() + timeout.ms : Infinity })
        schedule()
        if (timeout && timer === undefined) arm(timeout.ms)
      })
    },
    drain() {
      if (queue.length === 0 && active === 0) return Promise.resolve()
      return new Promise<void>((resolve) => idle.push(resolve))
    },
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}
