// Records what npm bittorrent-tracker's client sends and its server answers, for the codec's golden
// tests (Tests/WebTorrent/Fixtures/npm-frames.json). Run inside a network namespace with only
// loopback (the clients' WebRTC gathers host candidates): see README.md.
//   node --import ./hooks/register.mjs capture-frames.mjs > ../Fixtures/npm-frames.json
import wrtc from '@roamhq/wrtc'
import { Server, default as Client } from 'bittorrent-tracker'

const infoHash = Buffer.from('000102030405060708090a0b0c0d0e0f10111213', 'hex')
// A peer id with every kind of character JSON.stringify treats differently: quote, backslash,
// control characters with short escapes, DEL, and bytes from 0x80 (two UTF-8 bytes each).
const trickyPeerId = Buffer.from('2d5757303130302d227f5c0a0d09c3a980ff0001', 'hex')
const server = new Server({ udp: false, http: false, ws: true, stats: false })
const frames = []
let connections = 0
const client = (peerId, port) => new Client({
  infoHash, peerId, port: 6881, wrtc, rtcConfig: { iceServers: [] }, announce: [`ws://127.0.0.1:${port}`],
})
const once = (emitter, event) => new Promise(resolve => emitter.once(event, resolve))
const settle = () => new Promise(resolve => setTimeout(resolve, 300))

server.on('listening', async () => {
  const port = server.ws.address().port
  server.ws.on('connection', socket => {
    const connection = ++connections
    socket.on('message', data => frames.push({ connection, from: 'client', text: data.toString() }))
    const send = socket.send.bind(socket)
    socket.send = (text, cb) => { frames.push({ connection, from: 'server', text }); send(text, cb) }
  })
  // 1: one client's life: started (with offers), scrape, completed, stopped.
  const a = client(trickyPeerId, port)
  a.start(); await once(a, 'update')
  a.scrape(); await once(a, 'scrape')
  a.complete(); await once(a, 'update')
  a.stop(); await settle()
  await new Promise(resolve => a.destroy(resolve))
  // 2: two clients of one process (they share one socket): B's offer reaches A, A's answer reaches B.
  const b = client(Buffer.from('2d4242303030302d' + '42'.repeat(12), 'hex'), port)
  const c = client(Buffer.from('2d4343303030302d' + '43'.repeat(12), 'hex'), port)
  b.start(); await once(b, 'update')
  c.start(); await once(b, 'peer'); await settle()
  await new Promise(resolve => b.destroy(resolve)); await new Promise(resolve => c.destroy(resolve))
  server.close()
  console.log(JSON.stringify(frames, null, 1))
  process.exit(0)   // wrtc keeps threads that would hold the process open
})
server.listen(0, '127.0.0.1')
