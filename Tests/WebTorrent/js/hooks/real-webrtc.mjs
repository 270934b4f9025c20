// bittorrent-tracker's client loads WebRTC from webrtc-polyfill, whose native part (node-datachannel)
// needs a download at install time; @roamhq/wrtc is another real WebRTC for Node whose binary is
// shipped in a registry package.
import wrtc from '@roamhq/wrtc'
export const { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate } = wrtc
export default wrtc
