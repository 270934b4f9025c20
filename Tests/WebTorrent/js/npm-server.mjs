// The baseline for bench/ws-bench.sh: npm bittorrent-tracker's own server (the version pinned in
// Tests/WebTorrent/js/package-lock.json), WebSocket only, on loopback. Prints READY once listening
// and exits on SIGTERM or after MAX_SECONDS (so it never outlives the benchmark).
import Server from 'bittorrent-tracker/server'

const port = Number(process.argv[2])
const maxSeconds = Number(process.argv[3] ?? 1800)
const server = new Server({ udp: false, http: false, ws: true, stats: false, trustProxy: false })
server.on('error', err => { console.error('server error', err.message); process.exit(1) })
server.on('warning', () => {})
server.listen(port, '127.0.0.1', () => console.log(`READY ws://127.0.0.1:${port}`))
const stop = () => server.close(() => process.exit(0))
process.on('SIGTERM', stop)
setTimeout(stop, maxSeconds * 1000).unref()
