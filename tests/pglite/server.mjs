// PGlite (PostgreSQL compiled to WebAssembly, in memory) with the pgvector extension, served over
// the PostgreSQL wire protocol so that libpq -- and so retort -- can connect to it.
//
//   node server.mjs [--port N | --path /dir/.s.PGSQL.N] [--max-connections N] [--exit-on-eof]
//
// --port 0 (the default) lets the OS pick a free port. When the server accepts connections it
// prints exactly one line on stdout, which a harness waits for instead of sleeping:
//
//   PGLITE READY port=<port> path=<unix socket path or ->
//
// PGlite is a single backend: pglite-socket multiplexes every client connection onto it, one
// protocol message at a time, and while one client is inside a transaction it serves only
// that client. All clients therefore share one session (SET, advisory locks, LISTEN) and one
// database, whatever database name they ask for. The server stops on SIGTERM, SIGINT and, with
// --exit-on-eof, when its stdin reaches end of file: a harness passes that and keeps the pipe
// open, so that the server never outlives a harness that dies without cleaning up.
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { parseArgs } from 'node:util'

// Node 18 (Debian 12's) has no global CustomEvent (Node 19 made it one); pglite-socket
// dispatches its events with it.
if (typeof globalThis.CustomEvent === 'undefined') {
  globalThis.CustomEvent = class CustomEvent extends Event {
    constructor(type, options) {
      super(type, options)
      this.detail = options?.detail ?? null
    }
  }
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    path: { type: 'string' },
    'max-connections': { type: 'string', default: '16' },
    'exit-on-eof': { type: 'boolean', default: false },
  },
})

const db = await PGlite.create({ extensions: { vector } })
const server = new PGLiteSocketServer({
  db,
  port: Number(values.port),
  path: values.path,
  maxConnections: Number(values['max-connections']),
})

let stopping = false
async function stop(code) {
  if (stopping) return
  stopping = true
  try {
    await server.stop()
    await db.close()
  } finally {
    process.exit(code)
  }
}

server.addEventListener('error', (event) => {
  console.error('pglite server error:', event.detail)
})
process.on('SIGTERM', () => stop(0))
process.on('SIGINT', () => stop(0))
if (values['exit-on-eof']) {
  process.stdin.on('end', () => stop(0))
  process.stdin.on('error', () => stop(0))
  process.stdin.resume()
}

await server.start()
const port = values.path ? '-' : server.getServerConn().split(':').pop()
console.log(`PGLITE READY port=${port} path=${values.path ?? '-'}`)
