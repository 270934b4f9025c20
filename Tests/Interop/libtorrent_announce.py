#!/usr/bin/python3.11
"""Interop check: a real BitTorrent client (libtorrent, via Debian's python3-libtorrent)
announces to and scrapes a tracker running on loopback.

Run with Debian's interpreter (the pyenv python3 on PATH has no libtorrent):

    /usr/bin/python3.11 Tests/Interop/libtorrent_announce.py \
        --tracker udp://127.0.0.1:16969/announce --tracker http://127.0.0.1:17070/announce \
        [--expect-peers 1] [--timeout 30] [--seed N] [--no-download]

    /usr/bin/python3.11 Tests/Interop/libtorrent_announce.py --seed 42 --print-hash-only

What it does:
  1. Writes a small file (default 32 KiB) into a temp directory and makes a v1-only,
     non-private torrent of it. With --seed N the content (and therefore the info hash)
     is deterministic, so a closed tracker (opentracker) can whitelist it beforehand;
     --print-hash-only prints that hash and exits.
  2. Starts two libtorrent sessions listening on loopback only (127.0.0.1 and/or ::1,
     random ports), DHT/LSD/UPnP/NAT-PMP off: a seeder with the data, a leecher without.
  3. Seeder: waits until every --tracker URL answered an announce (tracker_reply_alert).
     Leecher: same, and every URL must report at least --expect-peers peers.
     Any tracker_error_alert fails the run with the tracker's message.
  4. Unless --no-download: waits until the leecher has the whole file (it can only have
     learnt the seeder's address from a tracker), then until every tracker answered an
     announce the leecher sent as a seeder (event=completed, or left=0).
  5. Scrapes every tracker from the seeder (scrape_reply_alert) and checks complete >= 1
     (>= 2 after a download).
  6. Prints one line `INTEROP {json}`; exit 0 on success, 1 on failure (message on stderr),
     2 on bad usage.

Every wait is bounded by --timeout (whole run); a hard alarm kills the process 20 s later.
Only loopback trackers (127.0.0.0/8, ::1) are accepted.
"""
import argparse
import ipaddress
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from urllib.parse import urlsplit

try:
    import libtorrent as lt
except ImportError:
    sys.stderr.write("libtorrent_announce.py: cannot import libtorrent; run it with Debian's "
                     "/usr/bin/python3.11 and install python3-libtorrent\n")
    sys.exit(2)

PIECE = 16 * 1024


class InteropError(Exception):
    pass


def log(verbose, msg):
    if verbose:
        sys.stderr.write("[%7.2fs] %s\n" % (time.monotonic() - T0, msg))


T0 = time.monotonic()


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tracker", action="append", default=[],
                   help="tracker announce URL (udp://, http://, https://); repeat for several")
    p.add_argument("--expect-peers", type=int, default=1,
                   help="minimum num_peers in the leecher's reply from every tracker (default 1)")
    p.add_argument("--timeout", type=float, default=30.0, help="bound for the whole run, seconds")
    p.add_argument("--seed", type=int, default=None,
                   help="content seed: same seed and size give the same info hash (default random)")
    p.add_argument("--size", type=int, default=32 * 1024, help="payload size in bytes (default 32768)")
    p.add_argument("--no-download", action="store_true",
                   help="skip waiting for the download and the leecher's announce as a seeder")
    p.add_argument("--no-scrape", action="store_true", help="skip the scrape check")
    p.add_argument("--print-hash-only", action="store_true",
                   help="print the torrent's info hash (hex) and exit; needs --seed to be useful")
    p.add_argument("-v", "--verbose", action="store_true", help="log alerts to stderr")
    a = p.parse_args()
    if not a.print_hash_only and not a.tracker:
        p.error("at least one --tracker URL is required")
    if a.size < 1 or a.size > 16 * 1024 * 1024:
        p.error("--size must be 1..16 MiB")
    return a


def tracker_host(url):
    """Returns the tracker's IP address; refuses anything that is not loopback."""
    u = urlsplit(url)
    if u.scheme not in ("udp", "http", "https"):
        raise InteropError("unsupported tracker scheme in %r (udp, http, https)" % url)
    try:
        ip = ipaddress.ip_address(u.hostname or "")
        u.port  # raises on a bad port
    except ValueError:
        raise InteropError("tracker %r: host must be a literal loopback address "
                           "(127.x.x.x or [::1])" % url)
    if not ip.is_loopback:
        raise InteropError("tracker %r is not on loopback; refusing" % url)
    return ip


def make_torrent(workdir, seed, size):
    """Writes the payload into workdir/seed/ and returns (torrent_info, seed_dir)."""
    rnd = random.Random(seed)
    seed_dir = os.path.join(workdir, "seed")
    os.makedirs(seed_dir)
    name = "interop-%d.bin" % seed
    with open(os.path.join(seed_dir, name), "wb") as f:
        f.write(rnd.randbytes(size))
    fs = lt.file_storage()
    lt.add_files(fs, os.path.join(seed_dir, name))
    # v1 only: a hybrid torrent would also announce its truncated v2 hash.
    ct = lt.create_torrent(fs, PIECE, flags=lt.create_torrent.v1_only)
    ct.set_priv(False)
    ct.set_creator("OrleansTracker interop test")
    lt.set_piece_hashes(ct, seed_dir)
    ti = lt.torrent_info(ct.generate())
    return ti, seed_dir


def info_hash_hex(ti):
    try:
        return str(ti.info_hashes().v1)
    except AttributeError:  # libtorrent 1.2
        return str(ti.info_hash())


def make_session(listen, timeout):
    settings = {
        "listen_interfaces": listen,
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_ip_notifier": False,
        "allow_multiple_connections_per_ip": True,
        "announce_to_all_trackers": True,
        "announce_to_all_tiers": True,
        # self-signed certificates on https trackers
        "validate_https_trackers": False,
        # SSRF mitigation only allows the path /announce on a loopback tracker; keys in the
        # path (/announce/KEY) are legitimate here
        "ssrf_mitigation": False,
        "tracker_completion_timeout": max(5, int(timeout)),
        "tracker_receive_timeout": max(5, int(timeout / 2)),
        "stop_tracker_timeout": 2,
        "user_agent": "OrleansTracker-interop libtorrent/" + lt.__version__,
        "alert_mask": (lt.alert.category_t.tracker_notification
                       | lt.alert.category_t.connect_notification
                       | lt.alert.category_t.error_notification
                       | lt.alert.category_t.status_notification
                       | lt.alert.category_t.storage_notification),
    }
    ses = lt.session(settings)
    return ses


def add(ses, ti, save_path, urls, seeder):
    atp = lt.add_torrent_params()
    atp.ti = ti
    atp.save_path = save_path
    atp.trackers = list(urls)
    atp.tracker_tiers = list(range(len(urls)))  # one tier each; announce_to_all_tiers anyway
    flags = atp.flags
    flags &= ~lt.torrent_flags.auto_managed
    flags &= ~lt.torrent_flags.paused
    flags |= lt.torrent_flags.disable_dht | lt.torrent_flags.disable_lsd | lt.torrent_flags.disable_pex
    if seeder:
        flags |= lt.torrent_flags.seed_mode
    atp.flags = flags
    return ses.add_torrent(atp)


def alert_url(a):
    u = getattr(a, "tracker_url", None)
    if callable(u):
        return u()
    return getattr(a, "url", "")


class Peer:
    """One session + torrent, with what its trackers told it."""

    def __init__(self, name, ses, urls, verbose):
        self.name, self.ses, self.urls, self.verbose = name, ses, urls, verbose
        self.handle = None
        self.replies = {u: [] for u in urls}      # num_peers of every successful announce
        self.scrapes = {}                         # url -> (complete, incomplete)
        self.finished = False
        self.completed_sent = set()               # urls announced to after the download
        self.completed_acked = set()              # urls that answered such an announce
        self.watch_port = None                    # seeder's listen port (leecher only)
        self.connected_to_watch = False           # outgoing connection to it seen

    def pump(self, wait_ms):
        if self.ses.wait_for_alert(wait_ms) is None:
            return
        for a in self.ses.pop_alerts():
            kind = type(a).__name__
            if kind in ("tracker_reply_alert", "tracker_error_alert", "scrape_reply_alert",
                        "scrape_failed_alert", "tracker_warning_alert", "torrent_finished_alert",
                        "torrent_error_alert", "listen_failed_alert", "listen_succeeded_alert",
                        "file_error_alert", "tracker_announce_alert"):
                log(self.verbose, "%s: %s: %s" % (self.name, kind, a.message()))
            if kind == "tracker_announce_alert" and a.event == lt.event_t.stopped:
                if not self._other_family(self._key(alert_url(a)), a):
                    self.stops = getattr(self, "stops", 0) + 1
            elif kind == "tracker_announce_alert":
                # an announce sent once the download is complete carries left=0 (and
                # event=completed the first time; libtorrent skips that event when the
                # download beat the tracker's "started" reply)
                url = self._key(alert_url(a))
                if self.finished and not self._other_family(url, a):
                    self.completed_sent.add(url)
            elif kind == "tracker_reply_alert" and getattr(self, "stops", None) is None:
                url = self._key(alert_url(a))
                self.replies.setdefault(url, []).append(a.num_peers)
                if url in self.completed_sent:
                    self.completed_acked.add(url)
            elif kind == "peer_connect_alert":
                # PEX, DHT and LSD are off: an outgoing connection to the seeder's listen
                # port can only come from a tracker's peer list
                ep = getattr(a, "endpoint", None)
                if self.watch_port and ep and ep[1] == self.watch_port:
                    self.connected_to_watch = True
            elif kind == "tracker_error_alert":
                url = self._key(alert_url(a))
                if self._other_family(url, a):
                    # libtorrent 2 announces from every listen socket; the 127.0.0.1 socket
                    # cannot reach an [::1] tracker and vice versa ("unreachable"): not a failure
                    continue
                reason = a.failure_reason() if callable(getattr(a, "failure_reason", None)) else ""
                detail = a.error_message() if callable(getattr(a, "error_message", None)) else ""
                parts = ["failure reason: " + reason] if reason else []
                if detail and detail != reason:
                    parts.append(detail)
                parts.append(a.message())
                raise InteropError("%s: tracker %s error: %s" % (self.name, url, "; ".join(parts)))
            elif kind == "scrape_reply_alert":
                self.scrapes[self._key(alert_url(a))] = (a.complete, a.incomplete)
            elif kind == "scrape_failed_alert":
                url = self._key(alert_url(a))
                if self._other_family(url, a):
                    continue
                raise InteropError("%s: scrape of %s failed: %s" % (
                    self.name, url, "; ".join(x for x in (a.error_message(), a.message()) if x)))
            elif kind in ("listen_failed_alert", "torrent_error_alert", "file_error_alert"):
                raise InteropError("%s: %s" % (self.name, a.message()))
            elif kind == "torrent_finished_alert":
                self.finished = True

    def _other_family(self, url, a):
        ep = getattr(a, "local_endpoint", None)
        try:
            local = ipaddress.ip_address(ep[0]).version
            return local != tracker_host(url).version
        except (TypeError, ValueError, IndexError, InteropError):
            return False

    def _key(self, url):
        """Maps an alert's URL back to the --tracker spelling (libtorrent may normalise it)."""
        if url in self.urls:
            return url
        for u in self.urls:
            if u.rstrip("/") == url.rstrip("/"):
                return u
        return url


def wait_until(peers, cond, deadline, what):
    while not cond():
        if time.monotonic() > deadline:
            raise InteropError("timed out waiting for " + what)
        for p in peers:
            p.pump(100)


def run(args, summary):
    urls = args.tracker
    families = {tracker_host(u).version for u in urls}
    listen = ",".join(([("127.0.0.1:0")] if 4 in families else []) + (["[::1]:0"] if 6 in families else []))
    deadline = time.monotonic() + args.timeout

    workdir = tempfile.mkdtemp(prefix="lt-interop-")
    try:
        ti, seed_dir = make_torrent(workdir, args.seed, args.size)
        summary["info_hash"] = info_hash_hex(ti)
        leech_dir = os.path.join(workdir, "leech")
        os.makedirs(leech_dir)

        seeder = Peer("seeder", make_session(listen, args.timeout), urls, args.verbose)
        leecher = Peer("leecher", make_session(listen, args.timeout), urls, args.verbose)
        both = (seeder, leecher)
        try:
            # 1. the seeder announces first, so the leecher's first reply can list it
            seeder.handle = add(seeder.ses, ti, seed_dir, urls, seeder=True)
            seeder.handle.force_reannounce(0, -1, lt.reannounce_flags_t.ignore_min_interval)
            wait_until(both, lambda: all(seeder.replies[u] for u in urls), deadline,
                       "the seeder's announce to every tracker (got replies from %s)" %
                       [u for u in urls if seeder.replies[u]])

            # 2. the leecher must get the seeder back from every tracker
            leecher.watch_port = seeder.ses.listen_port()
            leecher.handle = add(leecher.ses, ti, leech_dir, urls, seeder=False)
            leecher.handle.force_reannounce(0, -1, lt.reannounce_flags_t.ignore_min_interval)
            retry_at = time.monotonic() + 3

            def leecher_ok():
                return all(leecher.replies[u] and max(leecher.replies[u]) >= args.expect_peers
                           for u in urls)
            while not leecher_ok():
                now = time.monotonic()
                if now > deadline:
                    raise InteropError("timed out: leecher replies (num_peers per announce) %s, "
                                       "expected >= %d peers from every tracker"
                                       % (json.dumps(leecher.replies), args.expect_peers))
                if now > retry_at:  # e.g. a reply with 0 peers that raced the seeder
                    for i, u in enumerate(urls):
                        if not (leecher.replies[u] and max(leecher.replies[u]) >= args.expect_peers):
                            leecher.handle.force_reannounce(
                                0, i, lt.reannounce_flags_t.ignore_min_interval)
                    retry_at = now + 3
                for p in both:
                    p.pump(100)

            # 3. download, and the announce as a seeder that follows it
            downloaded = False
            if not args.no_download:
                wait_until(both, lambda: leecher.finished or leecher.handle.status().is_seeding,
                           deadline, "the download to complete (progress %.0f%%, %d peers connected)"
                           % (leecher.handle.status().progress * 100, leecher.handle.status().num_peers))
                downloaded = True
                # every tracker must answer an announce sent as a seeder (left=0); when the
                # download beat a tracker's reply, that only happens at the next interval
                retry_at = time.monotonic() + 2
                while not all(u in leecher.completed_acked for u in urls):
                    now = time.monotonic()
                    if now > deadline:
                        raise InteropError("timed out waiting for every tracker to answer an "
                                           "announce of the finished leecher (answered: %s)"
                                           % sorted(leecher.completed_acked))
                    if now > retry_at:
                        for i, u in enumerate(urls):
                            if u not in leecher.completed_acked:
                                leecher.handle.force_reannounce(
                                    0, i, lt.reannounce_flags_t.ignore_min_interval)
                        retry_at = now + 3
                    for p in both:
                        p.pump(100)
                if not leecher.connected_to_watch:
                    raise InteropError("the leecher finished without connecting to the seeder's "
                                       "listen port %s" % leecher.watch_port)
            summary["downloaded"] = downloaded
            summary["leecher_connected_to_seeder"] = leecher.connected_to_watch

            # 4. scrape every tracker from the seeder
            if not args.no_scrape:
                need = 2 if downloaded else 1

                def scrape_ok(u):
                    return u in seeder.scrapes and seeder.scrapes[u][0] >= need
                retry_at = 0
                while not all(scrape_ok(u) for u in urls):
                    now = time.monotonic()
                    if now > deadline:
                        raise InteropError("timed out waiting for scrapes with complete >= %d "
                                           "from every tracker (got %s)" % (need, seeder.scrapes))
                    if now > retry_at:   # (re)scrape the trackers that are not there yet
                        for i, u in enumerate(urls):
                            if not scrape_ok(u):
                                seeder.handle.scrape_tracker(i)
                        retry_at = now + 1.5
                    for p in both:
                        p.pump(100)
        finally:
            summary["trackers"] = {
                u: {"seeder_num_peers": seeder.replies.get(u, []),
                    "leecher_num_peers": leecher.replies.get(u, []),
                    "scrape": (dict(zip(("complete", "incomplete"), seeder.scrapes[u]))
                               if u in seeder.scrapes else None)}
                for u in urls}
            # leave the swarm: remove_torrent sends event=stopped; give the trackers up to
            # 3 s to answer, so repeated runs do not leave stale peers behind
            stopping = [p for p in both if p.handle is not None]
            for p in stopping:
                p.stops = 0
                try:
                    p.ses.remove_torrent(p.handle)
                except Exception:
                    pass
            until = time.monotonic() + 3
            while time.monotonic() < until and not all(p.stops >= len(urls) for p in stopping):
                for p in stopping:
                    try:
                        p.pump(50)
                    except InteropError:
                        pass
            del seeder.ses, leecher.ses
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    args = parse_args()
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1 << 31)
    if args.print_hash_only:
        workdir = tempfile.mkdtemp(prefix="lt-interop-")
        try:
            ti, _ = make_torrent(workdir, args.seed, args.size)
            print(info_hash_hex(ti))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        return 0

    # hard bound whatever libtorrent does
    signal.signal(signal.SIGALRM, lambda *_: os._exit(1))
    signal.alarm(int(args.timeout) + 20)

    summary = {"ok": False, "libtorrent": lt.__version__, "seed": args.seed, "size": args.size}
    code = 0
    try:
        run(args, summary)
        summary["ok"] = True
    except InteropError as e:
        summary["error"] = str(e)
        sys.stderr.write("libtorrent_announce.py: FAIL: %s\n" % e)
        code = 1
    summary["elapsed_s"] = round(time.monotonic() - T0, 2)
    print("INTEROP " + json.dumps(summary, sort_keys=True), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
