// node --import ./hooks/register.mjs: bittorrent-tracker's client loads WebRTC from webrtc-polyfill,
// whose native part (node-datachannel) downloads a binary at install time, which cannot happen here.
// resolve.mjs hands it @roamhq/wrtc instead: another real WebRTC, whose binary ships in a registry package.
import { register } from 'node:module'
register('./resolve.mjs', import.meta.url)
