#!/usr/bin/python3.11
"""Interop check for BEP 21 partial seeds: libtorrent (Debian's python3-libtorrent) downloads
one file of a two-file torrent, with the other file's priority 0, and keeps announcing.

    /usr/bin/python3.11 Tests/Interop/libtorrent_partial_seed.py \
        --tracker udp://127.0.0.1:16969/announce --tracker http://127.0.0.1:17070/announce

libtorrent marks every announce of a torrent that is finished but not a seed as event
"paused" (HTTP) or 4 (UDP, BEP 21); a tracker that refuses that event makes the client drop
out of the swarm. What it does:
  1. Makes a v1 torrent of two 32 KiB files (whole pieces each, so no piece is shared).
  2. A seeder session (seed mode) and a leecher session with the second file's priority 0,
     both on 127.0.0.1, DHT/LSD/PEX off, announce to every --tracker.
  3. The leecher downloads the first file (finished, not seeding), then re-announces to
     every tracker: each must answer an announce libtorrent sent with event paused, and
     any tracker_error_alert fails the run with the tracker's message.
  4. Scrapes every tracker from the seeder: complete >= 1 and incomplete >= 1 (the partial
     seed reports left > 0, so the tracker still lists it, as a leecher).
Prints `PARTIAL_SEED {json}`; exit 0 on success, 1 on failure. Bounded by --timeout.
"""
import argparse
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import libtorrent_announce as base  # noqa: E402  (same folder: session settings, URL checks)

lt = base.lt
FILE_SIZE = 32 * 1024


def make_two_file_torrent(workdir):
    root = os.path.join(workdir, "seed", "partial")
    os.makedirs(root)
    rnd = random.Random()
    for name in ("wanted.bin", "unticked.bin"):
        with open(os.path.join(root, name), "wb") as f:
            f.write(rnd.randbytes(FILE_SIZE))
    fs = lt.file_storage()
    lt.add_files(fs, root)
    ct = lt.create_torrent(fs, base.PIECE, flags=lt.create_torrent.v1_only)
    ct.set_priv(False)
    lt.set_piece_hashes(ct, os.path.dirname(root))
    ti = lt.torrent_info(ct.generate())
    files = ti.files()
    names = [os.path.basename(files.file_path(i)) for i in range(files.num_files())]
    return ti, os.path.join(workdir, "seed"), names


class Watch:
    """What one session's alerts said, per tracker URL."""

    def __init__(self, name, ses, urls):
        self.name, self.ses, self.urls = name, ses, urls
        self.finished = False
        self.paused_sent = set()      # urls sent an announce with event paused
        self.paused_answered = set()  # urls that answered one
        self.replies = set()
        self.scrapes = {}

    def key(self, url):
        return next((u for u in self.urls if u.rstrip("/") == url.rstrip("/")), url)

    def pump(self, wait_ms):
        if self.ses.wait_for_alert(wait_ms) is None:
            return
        for a in self.ses.pop_alerts():
            kind = type(a).__name__
            if kind == "tracker_announce_alert":
                if a.event == lt.event_t.paused:
                    self.paused_sent.add(self.key(base.alert_url(a)))
            elif kind == "tracker_reply_alert":
                url = self.key(base.alert_url(a))
                self.replies.add(url)
                if url in self.paused_sent:
                    self.paused_answered.add(url)
            elif kind == "tracker_error_alert":
                reason = a.failure_reason() if callable(getattr(a, "failure_reason", None)) else ""
                raise base.InteropError("%s: tracker %s refused: %s (%s)" % (
                    self.name, base.alert_url(a), reason, a.message()))
            elif kind == "scrape_reply_alert":
                self.scrapes[self.key(base.alert_url(a))] = (a.complete, a.incomplete)
            elif kind == "torrent_finished_alert":
                self.finished = True
            elif kind in ("listen_failed_alert", "torrent_error_alert", "file_error_alert"):
                raise base.InteropError("%s: %s" % (self.name, a.message()))


def until(watches, cond, deadline, what, retry=None):
    retry_at = time.monotonic() + 2
    while not cond():
        now = time.monotonic()
        if now > deadline:
            raise base.InteropError("timed out waiting for " + what())
        if retry is not None and now > retry_at:
            retry()
            retry_at = now + 2
        for w in watches:
            w.pump(100)


def add(ses, ti, save_path, urls, seeder, priorities=None):
    atp = lt.add_torrent_params()
    atp.ti = ti
    atp.save_path = save_path
    atp.trackers = list(urls)
    atp.tracker_tiers = list(range(len(urls)))
    if priorities is not None:
        atp.file_priorities = priorities
    flags = atp.flags & ~lt.torrent_flags.auto_managed & ~lt.torrent_flags.paused
    flags |= lt.torrent_flags.disable_dht | lt.torrent_flags.disable_lsd | lt.torrent_flags.disable_pex
    if seeder:
        flags |= lt.torrent_flags.seed_mode
    atp.flags = flags
    return ses.add_torrent(atp)


def run(args, summary):
    urls = args.tracker
    for u in urls:
        if base.tracker_host(u).version != 4:
            raise base.InteropError("IPv4 tracker URLs only (one listen socket keeps the run simple)")
    deadline = time.monotonic() + args.timeout
    workdir = tempfile.mkdtemp(prefix="lt-partial-")
    try:
        ti, seed_dir, names = make_two_file_torrent(workdir)
        summary["info_hash"] = base.info_hash_hex(ti)
        leech_dir = os.path.join(workdir, "leech")
        os.makedirs(leech_dir)
        seeder = Watch("seeder", base.make_session("127.0.0.1:0", args.timeout), urls)
        leecher = Watch("leecher", base.make_session("127.0.0.1:0", args.timeout), urls)
        both = (seeder, leecher)

        s = add(seeder.ses, ti, seed_dir, urls, seeder=True)
        s.force_reannounce(0, -1, lt.reannounce_flags_t.ignore_min_interval)
        until(both, lambda: all(u in seeder.replies for u in urls), deadline,
              lambda: "the seeder's announces (answered: %s)" % sorted(seeder.replies))

        priorities = [0 if n == "unticked.bin" else 1 for n in names]
        h = add(leecher.ses, ti, leech_dir, urls, seeder=False, priorities=priorities)
        h.force_reannounce(0, -1, lt.reannounce_flags_t.ignore_min_interval)
        until(both, lambda: leecher.finished, deadline,
              lambda: "the wanted file (progress %.0f%%)" % (h.status().progress * 100),
              retry=lambda: h.force_reannounce(0, -1, lt.reannounce_flags_t.ignore_min_interval))
        status = h.status()
        summary["leecher_finished"] = status.is_finished
        summary["leecher_seeding"] = status.is_seeding
        if not status.is_finished or status.is_seeding:
            raise base.InteropError("the leecher should be finished but not a seed (is_finished %s, "
                                    "is_seeding %s)" % (status.is_finished, status.is_seeding))

        def reannounce():
            for i, u in enumerate(urls):
                if u not in leecher.paused_answered:
                    h.force_reannounce(0, i, lt.reannounce_flags_t.ignore_min_interval)
        reannounce()
        until(both, lambda: all(u in leecher.paused_answered for u in urls), deadline,
              lambda: "answers to announces with event paused (sent to %s, answered by %s)"
              % (sorted(leecher.paused_sent), sorted(leecher.paused_answered)), retry=reannounce)
        summary["paused_answered"] = sorted(leecher.paused_answered)

        def scrape_ok(u):
            return u in seeder.scrapes and seeder.scrapes[u][0] >= 1 and seeder.scrapes[u][1] >= 1

        def rescrape():
            for i, u in enumerate(urls):
                if not scrape_ok(u):
                    s.scrape_tracker(i)
        rescrape()
        until(both, lambda: all(scrape_ok(u) for u in urls), deadline,
              lambda: "scrapes listing the seed and the partial seed (got %s)" % seeder.scrapes,
              retry=rescrape)
        summary["scrapes"] = {u: dict(zip(("complete", "incomplete"), seeder.scrapes[u])) for u in urls}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tracker", action="append", default=[], required=True)
    p.add_argument("--timeout", type=float, default=45.0, help="bound for the whole run, seconds")
    args = p.parse_args()
    signal.signal(signal.SIGALRM, lambda *_: os._exit(1))
    signal.alarm(int(args.timeout) + 20)
    summary = {"ok": False, "libtorrent": lt.__version__}
    code = 0
    try:
        run(args, summary)
        summary["ok"] = True
    except base.InteropError as e:
        summary["error"] = str(e)
        sys.stderr.write("libtorrent_partial_seed.py: FAIL: %s\n" % e)
        code = 1
    print("PARTIAL_SEED " + json.dumps(summary, sort_keys=True), flush=True)
    # os._exit: libtorrent's session destructors can block on tracker stop announces
    sys.stdout.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
