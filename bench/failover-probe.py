#!/usr/bin/env python3
"""Failover probe for bench/failover.sh: measures, from outside over UDP (BEP 15), how long the
surviving silos leave each torrent unanswered after one silo is killed with SIGKILL.

1. Seeds TORRENTS torrents, torrent i through silo i mod N (Orleans places a new activation near
   its caller, so about a third of the torrents live on each silo).
2. Announces every torrent every INTERVAL seconds through the survivors (round robin), a fresh
   transaction per request; a request without an answer within TIMEOUT seconds is unanswered.
3. After KILL_AFTER seconds sends SIGKILL to the victim (this process, so the kill time is exact)
   or, with --pause, SIGSTOP and SIGCONT after PAUSE seconds (a long GC pause or a frozen VM).
4. Stops when every torrent has been answered without a gap for SETTLE seconds, or MAX_AFTER
   seconds after the kill (bounded either way).

A torrent's unanswered window: from the kill to the arrival of the first answer after which every
later request was answered. Output (one line): RESULT action=... torrents=... affected=...
max_window_s=... unrecovered=...; a torrent never answered again counts as unrecovered.
Loopback only: every target must be 127.0.0.0/8.
"""
import argparse, os, random, select, signal, socket, struct, sys, time

p = argparse.ArgumentParser()
p.add_argument("--all", required=True, help="UDP ports of every silo, comma separated, in silo order")
p.add_argument("--victim", type=int, required=True, help="index of the silo to kill")
p.add_argument("--pid", type=int, required=True, help="its process id")
p.add_argument("--pause", type=float, default=0, help="SIGSTOP for this many seconds instead of SIGKILL")
p.add_argument("--torrents", type=int, default=30)
p.add_argument("--interval", type=float, default=0.1)
p.add_argument("--timeout", type=float, default=1.0)
p.add_argument("--kill-after", type=float, default=3.0)
p.add_argument("--settle", type=float, default=3.0)
p.add_argument("--max-after", type=float, default=30.0)
a = p.parse_args()
assert 0 < a.max_after <= 120 and 0 < a.kill_after <= 60 and a.pause <= 60, "bounds"
HOST = "127.0.0.1"
ports = [int(x) for x in a.all.split(",")]
survivors = [port for i, port in enumerate(ports) if i != a.victim]
rng = random.Random(1)
hashes = [bytes(rng.getrandbits(8) for _ in range(20)) for _ in range(a.torrents)]
peers = [b"-FO0001-" + bytes(rng.getrandbits(8) for _ in range(12)) for _ in range(a.torrents)]
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.setblocking(False)


def connect(port):
    """A BEP 15 connection id from one silo; the cluster shares the key, so it is valid on all."""
    for _ in range(20):
        tid = rng.getrandbits(32)
        sock.sendto(struct.pack(">QII", 0x41727101980, 0, tid), (HOST, port))
        end = time.monotonic() + 1
        while time.monotonic() < end:
            if select.select([sock], [], [], 0.1)[0]:
                data, _ = sock.recvfrom(2048)
                if len(data) >= 16 and struct.unpack(">II", data[:8]) == (0, tid):
                    return struct.unpack(">Q", data[8:16])[0]
    sys.exit(f"failover-probe: no connect answer from port {port}")


conn = connect(survivors[0])
pending = {}   # tid -> (torrent, sent)
answered = [[] for _ in hashes]    # per torrent: (sent, arrived)
unanswered = [[] for _ in hashes]  # per torrent: sent times without an answer within the timeout


def send(t, port, event):
    tid = rng.getrandbits(32)
    packet = struct.pack(">QII20s20sQQQIIIiH", conn, 1, tid, hashes[t], peers[t], 0, 0, 0, event, 0, 0, 5, 6881 + t)
    sock.sendto(packet, (HOST, port))
    pending[tid] = (t, time.monotonic())


def pump(until):
    while True:
        now = time.monotonic()
        if now >= until:
            break
        if select.select([sock], [], [], until - now)[0]:
            while True:
                try:
                    data, _ = sock.recvfrom(2048)
                except BlockingIOError:
                    break
                if len(data) >= 20:
                    action, tid = struct.unpack(">II", data[:8])
                    entry = pending.pop(tid, None)
                    if entry and action == 1:
                        answered[entry[0]].append((entry[1], time.monotonic()))
    now = time.monotonic()
    for tid, (t, sent) in list(pending.items()):
        if now - sent > a.timeout:
            del pending[tid]
            unanswered[t].append(sent)


# Seed: torrent i through silo i mod N, each answered before the watch starts.
for t in range(a.torrents):
    for _ in range(10):
        send(t, ports[t % len(ports)], 2)
        pump(time.monotonic() + 0.5)
        if answered[t]:
            break
    else:
        sys.exit(f"failover-probe: torrent {t} not answered by silo {t % len(ports)} at start")
answered = [[] for _ in hashes]

start = time.monotonic()
killed_at = None
resumed = False
turn = 0
while True:
    now = time.monotonic()
    if killed_at is None and now - start >= a.kill_after:
        os.kill(a.pid, signal.SIGSTOP if a.pause else signal.SIGKILL)
        killed_at = time.monotonic()
    if killed_at is not None and a.pause and not resumed and now - killed_at >= a.pause:
        os.kill(a.pid, signal.SIGCONT)
        resumed = True
    for t in range(a.torrents):
        send(t, survivors[turn % len(survivors)], 0)
        turn += 1
    pump(now + a.interval)
    if killed_at is None:
        continue
    after = time.monotonic() - killed_at
    if after > a.max_after:
        break
    # Done when every torrent's requests of the last SETTLE seconds were all answered.
    recent = time.monotonic() - a.settle
    if after > a.settle + a.timeout and all(
            not any(s > killed_at and s >= recent - a.timeout for s in unanswered[t])
            and any(s > killed_at and s <= recent for s, _ in answered[t]) for t in range(a.torrents)):
        pump(time.monotonic() + a.timeout + 0.1)
        break

def alive(pid):
    """Running or stopped, not a zombie (a silo declared dead while frozen exits when it resumes)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


windows, affected_windows, unrecovered = [], [], 0
for t in range(a.torrents):
    last_gap = max([s for s in unanswered[t] if s > killed_at - a.timeout], default=None)
    after_gap = [arr for s, arr in answered[t] if s > killed_at and (last_gap is None or s > last_gap)]
    if not after_gap:
        unrecovered += 1
        continue
    windows.append(max(0.0, min(after_gap) - killed_at))
    if last_gap is not None:
        affected_windows.append(windows[-1])
windows.sort()
affected_windows.sort()
affected = len(affected_windows)
total = sum(len(x) for x in answered)
lost = sum(len([s for s in x if s > killed_at]) for x in unanswered)
action = f"pause{a.pause:g}s" if a.pause else "sigkill"
print(f"RESULT action={action} victim={a.victim} torrents={a.torrents} affected={affected} unrecovered={unrecovered} "
      f"max_window_s={windows[-1] if windows else float('nan'):.2f} "
      f"p50_window_affected_s={affected_windows[affected // 2] if affected else 0:.2f} "
      f"answered={total} unanswered_after_kill={lost} victim_alive={int(alive(a.pid))}")
