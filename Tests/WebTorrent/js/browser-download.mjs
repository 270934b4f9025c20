// Two headless Debian chromium instances, each with the webtorrent library served from this test's
// own page: one seeds a generated file, the other downloads it over WebRTC, finding the seeder
// through the given WebSocket tracker only (no DHT in browsers, no STUN servers). Prints one RESULT
// line (JSON with the SHA-1 of the downloaded bytes) and exits 0, or 1 on failure.
// Run inside a network namespace that has a non-loopback address and a default route (README.md):
// Chromium gathers no ICE candidates on loopback.
//   node browser-download.mjs ws://127.0.0.1:PORT [bytes]
import { chromium } from 'playwright-core'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const tracker = process.argv[2]
const size = Number(process.argv[3] || 256 * 1024)
const started = Date.now()
const timer = setTimeout(() => finish({ ok: false, why: 'timed out' }), 40_000)
const bundle = fs.readFileSync(new URL('./node_modules/webtorrent/dist/webtorrent.min.js', import.meta.url))
// --disable-features: WebRtcHideLocalIpsWithMdns would hide host candidates behind mDNS names that
// nothing here resolves; LocalNetworkAccessChecks would block a page's WebSocket to 127.0.0.1.
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-features=WebRtcHideLocalIpsWithMdns,LocalNetworkAccessChecks']
const contexts = []
const log = []

async function finish (result) {
  clearTimeout(timer)
  for (const context of contexts) await context.close().catch(() => {})
  console.log('RESULT ' + JSON.stringify({ ...result, ms: Date.now() - started, log: log.slice(-20) }))
  process.exit(result.ok ? 0 : 1)
}

async function open (name) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-chromium-'))
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args })
  contexts.push(context)
  const page = context.pages()[0] ?? await context.newPage()
  page.on('console', m => log.push(`${name}: ${m.text()}`))
  page.on('pageerror', e => log.push(`${name} error: ${e.message}`))
  // The page and the library come from this script (localhost is a secure context: crypto.subtle).
  await page.route('http://localhost/**', route => route.request().url().endsWith('.js')
    ? route.fulfill({ body: bundle, contentType: 'text/javascript' })
    : route.fulfill({ body: '<!doctype html><title>webtorrent</title>', contentType: 'text/html' }))
  await page.goto('http://localhost/')
  await page.evaluate(() => import('/webtorrent.min.js').then(m => { window.WebTorrent = m.default }))
  return page
}

try {
  const [seeder, leecher] = await Promise.all([open('seeder'), open('leecher')])
  const magnet = await seeder.evaluate(async ({ tracker, size }) => {
    const data = new Uint8Array(size)
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + 13) & 255
    const client = new WebTorrent({ tracker: { rtcConfig: { iceServers: [] } } })
    client.on('error', e => console.log('client error ' + e.message))
    // The seeder announces "completed", then "started" with offers. The magnet is handed on once
    // both are answered: a leecher announcing while the seeder's offers are still on their way
    // would send its own offers to the seeder at the same time, and webtorrent, holding two
    // connections to one peer id, closes one half of each pair (its glare race, whatever the
    // tracker; seen here when the tracker was cold and slow to answer its first announce).
    return await new Promise(resolve => {
      let answered = 0
      const torrent = client.seed(new File([data], 'payload.bin'), { announce: [tracker] })
      torrent.on('warning', e => console.log('warning ' + e.message))
      torrent.on('trackerAnnounce', () => { if (++answered === 2) resolve(torrent.magnetURI) })
    })
  }, { tracker, size })
  const sha1 = await leecher.evaluate(async (magnet) => {
    const client = new WebTorrent({ tracker: { rtcConfig: { iceServers: [] } } })
    client.on('error', e => console.log('client error ' + e.message))
    return await new Promise(resolve => client.add(magnet, torrent => {
      torrent.on('warning', e => console.log('warning ' + e.message))
      torrent.on('done', async () => {
        const digest = await crypto.subtle.digest('SHA-1', await torrent.files[0].arrayBuffer())
        resolve([...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join(''))
      })
    }))
  }, magnet)
  await finish({ ok: true, sha1, magnet })
} catch (e) {
  await finish({ ok: false, why: e.message })
}
