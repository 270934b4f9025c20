#!/usr/bin/env python3
"""A minimal in-memory BitTorrent tracker, ONLY to self-test the interop scripts where no
real dual-stack tracker is at hand (Debian's opentracker is IPv4-only). Not a reference
implementation: no connection-id MAC, no peer expiry, no limits beyond a small cap.

    python3 Tests/Interop/mock_tracker.py --udp-port 36969 --http-port 37070 [--seconds 120]

Listens on 127.0.0.1 and ::1 (UDP BEP 15 and HTTP /announce, /scrape, compact peers and
peers6), answers with the peers of the request's address family minus the announcer, and
exits by itself after --seconds.
"""
import argparse
import os
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote_to_bytes

swarms = {}          # info_hash -> {(ip, port): (peer_id, left)}
completed = {}       # info_hash -> count
lock = threading.Lock()
MAX_PEERS = 50


def announce(ih, peer_id, ip, port, left, event, numwant):
    with lock:
        sw = swarms.setdefault(ih, {})
        key = (ip, port)
        if event == "stopped":
            sw.pop(key, None)
        else:
            if event == "completed" and key in sw and sw[key][1] != 0:
                completed[ih] = completed.get(ih, 0) + 1
            sw[key] = (peer_id, left)
        fam = ":" in ip
        peers = [k for k in sw if k != key and (":" in k[0]) == fam][:max(0, min(numwant, MAX_PEERS))]
        seeders = sum(1 for v in sw.values() if v[1] == 0)
        return peers, seeders, len(sw) - seeders


def scrape(ih):
    with lock:
        sw = swarms.get(ih, {})
        seeders = sum(1 for v in sw.values() if v[1] == 0)
        return seeders, completed.get(ih, 0), len(sw) - seeders


def pack_peers(peers):
    out = b""
    for ip, port in peers:
        fam = socket.AF_INET6 if ":" in ip else socket.AF_INET
        out += socket.inet_pton(fam, ip) + struct.pack(">H", port)
    return out


def udp_loop(sock):
    events = {0: "", 1: "completed", 2: "started", 3: "stopped"}
    while True:
        data, addr = sock.recvfrom(2048)
        ip = addr[0]
        if len(data) < 16:
            continue
        cid, action, tid = struct.unpack(">qii", data[:16])
        if action == 0 and cid == 0x41727101980:
            sock.sendto(struct.pack(">iiq", 0, tid, 0x1234), addr)
        elif action == 1 and len(data) >= 98:
            ih, pid = data[16:36], data[36:56]
            _, left, _, ev, _, _, nw, port = struct.unpack(">qqqiIIiH", data[56:98])
            peers, s, l = announce(ih, pid, ip, port, left, events.get(ev, ""), 30 if nw < 0 else nw)
            sock.sendto(struct.pack(">iiiii", 1, tid, 120, l, s) + pack_peers(peers), addr)
        elif action == 2:
            out = struct.pack(">ii", 2, tid)
            for i in range(16, min(len(data), 16 + 20 * 74), 20):
                out += struct.pack(">iii", *scrape(data[i:i + 20]))
            sock.sendto(out, addr)


def bencode(x):
    if isinstance(x, int):
        return b"i%de" % x
    if isinstance(x, bytes):
        return b"%d:%s" % (len(x), x)
    if isinstance(x, str):
        return bencode(x.encode())
    if isinstance(x, list):
        return b"l" + b"".join(bencode(v) for v in x) + b"e"
    return b"d" + b"".join(bencode(k) + bencode(v) for k, v in sorted(
        ((k.encode() if isinstance(k, str) else k, v) for k, v in x.items()))) + b"e"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        path, _, query = self.path.partition("?")
        params = {}
        for part in query.split("&"):
            k, _, v = part.partition("=")
            params.setdefault(k, []).append(unquote_to_bytes(v))
        ip = self.client_address[0]
        if path == "/announce":
            try:
                ih, pid = params["info_hash"][0], params["peer_id"][0]
                port = int(params["port"][0])
                left = int(params.get("left", [b"0"])[0])
                ev = params.get("event", [b""])[0].decode()
                nw = int(params.get("numwant", [b"30"])[0])
                assert len(ih) == 20 and len(pid) == 20
            except (KeyError, ValueError, AssertionError):
                return self.reply({"failure reason": "bad announce"})
            peers, s, l = announce(ih, pid, ip, port, left, ev, nw)
            body = {"interval": 120, "complete": s, "incomplete": l}
            body["peers6" if ":" in ip else "peers"] = pack_peers(peers)
            return self.reply(body)
        if path == "/scrape":
            files = {}
            for ih in params.get("info_hash", [])[:100]:
                s, d, l = scrape(ih)
                files[ih] = {"complete": s, "downloaded": d, "incomplete": l}
            return self.reply({"files": files})
        self.send_error(404)

    def reply(self, obj):
        body = bencode(obj)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server6(ThreadingHTTPServer):
    address_family = socket.AF_INET6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--udp-port", type=int, required=True)
    ap.add_argument("--http-port", type=int, required=True)
    ap.add_argument("--seconds", type=int, default=120)
    a = ap.parse_args()
    for host, fam in (("127.0.0.1", socket.AF_INET), ("::1", socket.AF_INET6)):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind((host, a.udp_port))
        threading.Thread(target=udp_loop, args=(s,), daemon=True).start()
        srv = (Server6 if fam == socket.AF_INET6 else ThreadingHTTPServer)((host, a.http_port), Handler)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    print("mock tracker pid %d on udp %d, http %d (127.0.0.1 and ::1), %d s"
          % (os.getpid(), a.udp_port, a.http_port, a.seconds), flush=True)
    time.sleep(max(1, min(a.seconds, 3600)))


if __name__ == "__main__":
    main()
