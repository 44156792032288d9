// The load generator, in a process of its own so that it never shares the event loop of
// the server it measures. Reads its job as JSON from argv, prints progress to stderr and
// the autocannon result, with the CPU seconds this process used while it ran, as JSON on stdout.
import autocannon from 'autocannon'

export interface LoadJob {
  url: string
  /** Path of each request; `{n}` is replaced by a counter starting at `first`. */
  path: string
  first: number
  connections: number
  seconds: number
  label: string
  headers?: Record<string, string>
}

export interface LoadOutput {
  result: autocannon.Result
  cpuSeconds: number
}

const job = JSON.parse(process.argv[2]!) as LoadJob
let n = job.first
const cpuBefore = process.cpuUsage()
const instance = autocannon(
  {
    url: job.url,
    connections: job.connections,
    duration: job.seconds,
    headers: job.headers,
    requests: [{ setupRequest: (request) => ({ ...request, path: job.path.replace('{n}', String(n++)) }) }],
  },
  (error, result) => {
    if (error) throw error
    const cpu = process.cpuUsage(cpuBefore)
    const output: LoadOutput = { result, cpuSeconds: (cpu.user + cpu.system) / 1e6 }
    process.stdout.write(`${JSON.stringify(output)}\n`)
  },
)
let second = 0
let answered = 0
instance.on('response', () => answered++)
const progress = setInterval(() => {
  second++
  process.stderr.write(`\r  ${job.label}: ${second}/${job.seconds}s, ${answered.toLocaleString('en')} responses   `)
}, 1000)
instance.on('done', () => {
  clearInterval(progress)
  process.stderr.write('\n')
})
