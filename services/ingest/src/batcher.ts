// Group commit: concurrent requests are coalesced into one write, started as soon as a
// flush slot is free (no timer: at low load a request waits for nothing but its own
// write), and each request is answered only when the write holding it has committed.
// If a batch fails, its rows are retried alone so that only a bad row gets the error;
// if the store is unreachable, every request of the batch gets that error and none is
// acknowledged.

export interface BatcherOptions<I, O> {
  /** Writes a batch; returns one outcome per item, in order, or an Error for that item alone. */
  write: (items: I[]) => Promise<(O | Error)[]>
  maxBatch: number
  /** Writes in flight at once. */
  slots: number
  /** True when an error means the store cannot be reached: retrying rows alone is pointless. */
  isUnavailable: (error: unknown) => boolean
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
}

export function createBatcher<I, O>(options: BatcherOptions<I, O>): Batcher<I, O> {
  let queue: Entry<I, O>[] = []
  let active = 0
  let scheduled = false
  let idle: (() => void)[] = []

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
    let outcomes: (O | Error)[]
    try {
      outcomes = await options.write(batch.map((e) => e.item))
    } catch (error) {
      options.onError?.(error, batch.length)
      if (batch.length === 1 || options.isUnavailable(error)) {
        for (const entry of batch) entry.reject(asError(error))
      } else await Promise.all(batch.map((entry) => flush([entry])))
      done()
      return
    }
    options.onFlush?.(batch.length, (performance.now() - started) / 1000)
    done()
    settle(batch, outcomes)
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
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject })
        schedule()
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
