// npm bittorrent-tracker's own client (with real WebRTC from @roamhq/wrtc) against a WebSocket
// tracker: two clients of one torrent on two sockets (two URL forms of the same tracker). B's
// offer must reach A through the tracker and A's answer must come back to B (both clients then
// emit 'peer'); scrape, completed and stopped must be answered. Prints one RESULT line (JSON) and
// exits 0 on success, 1 on failure. Run inside a network namespace (see README.md).
//   node --import ./hooks/register.mjs npm-client.mjs ws://127.0.0.1:PORT
import wrtc from '@roamhq/wrtc'
import Client from 'bittorrent-tracker'
import { randomBytes } from 'node:crypto'

const tracker = process.argv[2]
const infoHash = randomBytes(20)
const steps = []
const fail = (why) => { console.log('RESULT ' + JSON.stringify({ ok: false, why, steps })); process.exit(1) }
setTimeout(() => fail('timed out'), 20_000).unref()

const client = (url) => {
  const c = new Client({ infoHash, peerId: randomBytes(20), port: 6881, wrtc, rtcConfig: { iceServers: [] }, announce: [url] })
  c.on('error', e => fail('error: ' + e.message))
  c.on('warning', e => steps.push('warning: ' + e.message))
  return c
}
const once = (emitter, event) => new Promise(resolve => emitter.once(event, resolve))

const a = client(tracker)
const b = client(tracker.replace(/\/?$/, '/announce'))
a.start()
const first = await once(a, 'update')
steps.push(`A started: complete=${first.complete} incomplete=${first.incomplete}`)
const aGetsOffer = once(a, 'peer')
const bGetsAnswer = once(b, 'peer')
b.start()
const second = await once(b, 'update')
steps.push(`B started: complete=${second.complete} incomplete=${second.incomplete}`)
await aGetsOffer
steps.push('A got an offer from B')
await bGetsAnswer
steps.push('B got the answer from A')
b.scrape()
const scrape = await once(b, 'scrape')
steps.push(`scrape: complete=${scrape.complete} incomplete=${scrape.incomplete} downloaded=${scrape.downloaded}`)
a.complete()
const completed = await once(a, 'update')
steps.push(`A completed: complete=${completed.complete} incomplete=${completed.incomplete}`)
a.stop()
const stopped = await once(a, 'update')
steps.push(`A stopped: complete=${stopped.complete} incomplete=${stopped.incomplete}`)
const ok = first.incomplete === 1 && second.incomplete === 2 && scrape.incomplete === 2 &&
  completed.complete === 1 && completed.incomplete === 1 && stopped.complete === 0 && stopped.incomplete === 1
console.log('RESULT ' + JSON.stringify({ ok, steps }))
process.exit(ok ? 0 : 1)   // wrtc keeps threads that would hold the process open
