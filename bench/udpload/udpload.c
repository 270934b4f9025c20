/*
 * udpload - small load generator for UDP BitTorrent trackers (BEP 15).
 *
 * Loopback only: the target must be 127.0.0.0/8 or ::1; anything else is
 * refused. Runs are bounded (-d, at most 600 s, plus an alarm() safety net).
 *
 * One thread, S connected UDP sockets, at most C requests in flight. Each
 * socket first does a BEP 15 connect, then announces/scrapes are sent in a
 * weighted mix (-m announce:scrape:connect). Torrents are picked from a skewed
 * distribution (-D). Every response is checked (transaction id, socket,
 * action, length) and counted; requests without an answer after -T ms are
 * timeouts. Build: gcc -O2 -Wall -o udpload udpload.c -lm
 *
 * OrleansTracker's copy (bench/overload.sh, bench/soak.sh) adds two options to the shared tool:
 *   -R RATE  open loop: send RATE requests/s whatever the answers (with -c as the cap on
 *            requests awaiting an answer or a timeout), so a rate above capacity overloads.
 *   -C N     every N-th announce is a download peer's: a new peer (own id, never reused) sends
 *            event=started (left > 0) and, once that was answered, event=completed (left 0), so
 *            each answered completed adds exactly one to the tracker's completed counts (a
 *            tracker counts completed only for a peer it knows).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SOCKS 64
#define BATCH 64           /* datagrams per sendmmsg/recvmmsg call */
#define PKT 2048           /* request/response buffer size */
#define MAX_SCRAPE 74      /* hashes per scrape that fit a 1500-byte MTU */
#define MAX_DURATION 600
#define RECONNECT_NS (50ULL * 1000000000ULL) /* BEP 15 ids live >= 1 min */

enum { A_CONNECT = 0, A_ANNOUNCE = 1, A_SCRAPE = 2, A_ERROR = 3 };
static const char *ANAME[] = { "connect", "announce", "scrape" };

/* ---- options ---- */
static const char *o_host = "127.0.0.1";
static int o_port = 0, o_dur = 10, o_socks = 4, o_inflight = 128, o_timeout_ms = 1000;
static long o_torrents = 100000, o_peers = 200000;
static int o_w[3] = { 0, 100, 1 };           /* connect, announce, scrape weights */
static int o_scrape_max = 10, o_numwant = 30, o_fill = 0, o_verbose = 0;
static double o_seed_prob = 0.75;
static const char *o_dist = "aquatic", *o_dump = NULL;
static uint64_t o_seed = 1;
static double o_rate = 0;       /* -R: requests/s, 0 = closed loop */
static long o_completed_every = 0;  /* -C */
static uint64_t done_next = 0, announces_built = 0;
#define DONE_Q 65536          /* download peers whose started was answered, awaiting completed */
static uint64_t done_q[DONE_Q]; static uint32_t done_qh = 0, done_qt = 0;

/* ---- rng / hashing ---- */
static uint64_t splitmix(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static uint64_t rng_state;
static uint64_t rnd(void) { return splitmix(&rng_state); }
static double rnd01(void) { return (rnd() >> 11) * (1.0 / 9007199254740992.0); }

/* 20 deterministic bytes for index i in namespace ns (info hashes, peer ids) */
static uint64_t o_offset = 0;   /* -o */
static void bytes20(uint64_t ns, uint64_t i, uint8_t *out) {
    uint64_t s = ns * 0x100000001b3ULL + i + o_offset, w[3] = { splitmix(&s), splitmix(&s), splitmix(&s) };
    memcpy(out, w, 20);
}
#define NS_HASH 0x1f0a11c3ULL  /* fixed, so a dumped whitelist stays valid */
#define NS_PEER 0x7e3d0b5aULL
#define NS_DONE 0x5c0e7ed1ULL  /* peer ids of -C completed events */

/* ---- torrent popularity distribution ---- */
static double *cdf;          /* cumulative weights, NULL for pareto/uniform */
static double pareto_shape;
static int dist_kind;        /* 0 table, 1 pareto, 2 uniform, 3 even */

static void dist_init(void) {
    long n = o_torrents;
    double s = 0;
    if (!strcmp(o_dist, "uniform")) { dist_kind = 2; return; }
    if (!strcmp(o_dist, "even")) { dist_kind = 3; return; }
    if (!strncmp(o_dist, "pareto:", 7)) { dist_kind = 1; pareto_shape = atof(o_dist + 7); return; }
    double zs = !strncmp(o_dist, "zipf:", 5) ? atof(o_dist + 5) : -1;
    if (zs < 0 && strcmp(o_dist, "aquatic")) { fprintf(stderr, "bad -D %s\n", o_dist); exit(2); }
    if (!(cdf = malloc(n * sizeof *cdf))) { perror("malloc"); exit(1); }
    for (long i = 0; i < n; i++) {
        /* aquatic_udp_load_test (2024): floor + exp(6.5 - 500 i / N), floor = N / peers */
        double w = zs >= 0 ? pow(i + 1.0, -zs)
                           : (double)n / o_peers + exp(6.5 - 500.0 * i / n);
        cdf[i] = (s += w);
    }
}
static long pick_torrent(void) {
    long n = o_torrents;
    if (dist_kind >= 2) return rnd() % n;
    if (dist_kind == 1) { /* aquatic_udp_load_test (2021): Pareto(1, shape) mapped to [0, N) */
        double p = 1.0 / pow(1.0 - rnd01(), 1.0 / pareto_shape);
        return (long)((fmin(p, 101.0) - 1.0) / 100.0 * (n - 1));
    }
    double u = rnd01() * cdf[n - 1];
    long lo = 0, hi = n - 1;
    while (lo < hi) { long mid = (lo + hi) / 2; if (cdf[mid] > u) hi = mid; else lo = mid + 1; }
    return lo;
}

/* ---- peers: fixed torrent, port, seeder flag; same table for -F and normal runs ---- */
struct peer { uint32_t torrent; uint16_t port; uint8_t seeder; };
static struct peer *peers;

static void peers_init(void) {
    if (!(peers = malloc(o_peers * sizeof *peers))) { perror("malloc"); exit(1); }
    for (long i = 0; i < o_peers; i++) {
        if (dist_kind == 3) {   /* even: peer i on torrent i mod N, unique port per torrent */
            peers[i].torrent = i % o_torrents;
            peers[i].port = 1024 + (i / o_torrents) % 64000;
        } else {
            peers[i].torrent = pick_torrent();
            peers[i].port = 1024 + rnd() % 64000;
        }
        peers[i].seeder = rnd01() < o_seed_prob;
    }
}

/* ---- sockets, in-flight slots, stats ---- */
struct sock {
    int fd; uint8_t conn_id[8]; uint64_t conn_ns; int conn_pending;
    struct mmsghdr out[BATCH]; struct iovec iov[BATCH]; uint8_t buf[BATCH][PKT]; int nout;
};
struct slot { uint64_t sent_ns, done_peer; uint16_t gen; uint8_t busy, action, nhash, sock, done; };  /* done: 1 started, 2 completed */

static struct sock socks[MAX_SOCKS];
static struct slot *slots;
static uint32_t *freelist; static int nfree;
static int peer_sz = 6;                 /* 6 bytes per peer (IPv4), 18 for IPv6 */

static struct {
    uint64_t sent[3], ok[3], err, invalid, unmatched, timeouts, send_fail, peers, done_sent, done_ok;
} st;
static char first_err[128], first_invalid[96];
#define HUS 65536                       /* latency: 1 us buckets < 65.5 ms, then 1 ms */
static uint64_t hist_us[HUS], hist_ms[HUS];

static uint64_t now_ns(void) {
    struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ULL + t.tv_nsec;
}
static void put32(uint8_t *p, uint32_t v) { v = htonl(v); memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { put32(p, v >> 32); put32(p + 4, (uint32_t)v); }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return ntohl(v); }

static void record_latency(uint64_t ns) {
    uint64_t us = ns / 1000;
    if (us < HUS) hist_us[us]++; else hist_ms[us / 1000 < HUS ? us / 1000 : HUS - 1]++;
}
static double percentile(double q) {  /* microseconds */
    uint64_t total = 0, acc = 0;
    for (int i = 0; i < HUS; i++) total += hist_us[i] + hist_ms[i];
    if (!total) return 0;
    uint64_t want = (uint64_t)ceil(q * total);
    for (int i = 0; i < HUS; i++) if ((acc += hist_us[i]) >= want) return i;
    for (int i = 0; i < HUS; i++) if ((acc += hist_ms[i]) >= want) return i * 1000.0;
    return 0;
}

/* Build one request for slot `idx` into socket s's batch. Returns length. */
static int build(int s, uint32_t idx, int action, uint64_t *fill_next) {
    struct sock *k = &socks[s];
    uint8_t *p = k->buf[k->nout];
    struct slot *sl = &slots[idx];
    uint32_t tid = ((uint32_t)++sl->gen << 16) | idx;
    int len = 16;
    if (action == A_CONNECT) {
        put64(p, 0x41727101980ULL);
        k->conn_pending = 1;
    } else memcpy(p, k->conn_id, 8);
    put32(p + 8, action); put32(p + 12, tid);
    sl->done = 0;
    if (action == A_ANNOUNCE && o_completed_every > 0 && !o_fill && ++announces_built % o_completed_every == 0) {
        int complete = done_qh != done_qt;
        uint64_t d = complete ? done_q[done_qh++ % DONE_Q] : done_next++;
        uint64_t ts = d ^ 0x2545f4914f6cdd1dULL;
        bytes20(NS_HASH, splitmix(&ts) % o_torrents, p + 16);   /* the peer's torrent, fixed by d */
        bytes20(NS_DONE, d, p + 36);
        memcpy(p + 36, "-UL0001-", 8);
        put64(p + 56, complete ? 1000000 : 0);            /* downloaded */
        put64(p + 64, complete ? 0 : 1000000);            /* left */
        put64(p + 72, 0);
        put32(p + 80, complete ? 1 : 2);                  /* event: completed, started */
        put32(p + 84, 0);
        put32(p + 88, (uint32_t)d);
        put32(p + 92, (uint32_t)o_numwant);
        p[96] = 0x1a; p[97] = 0xe1;
        len = 98;
        sl->done = complete ? 2 : 1; sl->done_peer = d;
        if (complete) st.done_sent++;
    } else if (action == A_ANNOUNCE) {
        uint64_t i = o_fill ? (*fill_next)++ : rnd() % o_peers;
        struct peer *pe = &peers[i];
        bytes20(NS_HASH, pe->torrent, p + 16);
        bytes20(NS_PEER, i, p + 36);
        memcpy(p + 36, "-UL0001-", 8);                    /* client prefix */
        put64(p + 56, 0);                                 /* downloaded */
        put64(p + 64, pe->seeder ? 0 : 1000000);          /* left */
        put64(p + 72, 0);                                 /* uploaded */
        put32(p + 80, 0);                                 /* event: none */
        put32(p + 84, 0);                                 /* ip: source */
        put32(p + 88, (uint32_t)i);                       /* key */
        put32(p + 92, (uint32_t)o_numwant);
        p[96] = pe->port >> 8; p[97] = pe->port & 255;
        len = 98;
    } else if (action == A_SCRAPE) {
        int n = 1 + rnd() % o_scrape_max;
        long t[MAX_SCRAPE];
        for (int j = 0; j < n; j++) {          /* distinct hashes, like a real client */
            for (int tries = 0, dup = 1; dup && tries < 100; tries++) {
                t[j] = pick_torrent(); dup = 0;
                for (int q = 0; q < j; q++) dup |= t[q] == t[j];
            }
            bytes20(NS_HASH, t[j], p + 16 + 20 * j);
        }
        sl->nhash = n;
        len = 16 + 20 * n;
    }
    sl->busy = 1; sl->action = action; sl->sock = s; sl->sent_ns = now_ns();
    k->iov[k->nout] = (struct iovec){ p, len };
    k->out[k->nout].msg_hdr = (struct msghdr){ .msg_iov = &k->iov[k->nout], .msg_iovlen = 1 };
    k->nout++;
    st.sent[action]++;
    return len;
}

static void release(uint32_t idx) { slots[idx].busy = 0; freelist[nfree++] = idx; }

static void flush(int s) {
    struct sock *k = &socks[s];
    int done = 0;
    while (done < k->nout) {
        int r = sendmmsg(k->fd, k->out + done, k->nout - done, 0);
        if (r <= 0) break;
        done += r;
    }
    for (int j = done; j < k->nout; j++) {   /* not sent (EAGAIN, ECONNREFUSED...) */
        uint32_t tid = get32(k->buf[j] + 12), a = get32(k->buf[j] + 8);
        st.send_fail++; st.sent[a]--;
        if (slots[tid & 0xffff].done == 2) st.done_sent--;
        if (a == A_CONNECT) k->conn_pending = 0;
        release(tid & 0xffff);
    }
    k->nout = 0;
}

static void handle(int s, const uint8_t *p, int len, int truncated, uint64_t now) {
    if (len < 8) { st.invalid++; return; }
    uint32_t action = get32(p), tid = get32(p + 4), idx = tid & 0xffff;
    struct slot *sl = idx < (uint32_t)o_inflight ? &slots[idx] : NULL;
    if (!sl || !sl->busy || sl->gen != (tid >> 16) || sl->sock != s) { st.unmatched++; return; }
    int ok = 0;
    if (truncated) ok = 0;
    else if (action == A_ERROR) {
        st.err++;
        if (!first_err[0]) snprintf(first_err, sizeof first_err, "%.*s", len - 8, (const char *)p + 8);
        if (sl->action == A_CONNECT) socks[s].conn_pending = 0;
        record_latency(now - sl->sent_ns); release(idx); return;
    } else if (action != sl->action) ok = 0;
    else if (action == A_CONNECT && len >= 16) {
        memcpy(socks[s].conn_id, p + 8, 8); socks[s].conn_ns = now; socks[s].conn_pending = 0; ok = 1;
    } else if (action == A_ANNOUNCE && len >= 20 && (len - 20) % peer_sz == 0) {
        st.peers += (len - 20) / peer_sz; ok = 1;
        if (sl->done == 2) st.done_ok++;
        else if (sl->done == 1 && done_qt - done_qh < DONE_Q) done_q[done_qt++ % DONE_Q] = sl->done_peer;
    } else if (action == A_SCRAPE && len == 8 + 12 * sl->nhash) ok = 1;
    if (ok) { st.ok[action]++; record_latency(now - sl->sent_ns); }
    else {
        st.invalid++;
        if (!first_invalid[0])
            snprintf(first_invalid, sizeof first_invalid, "action %u, %d bytes%s, answering a %s (%d hashes)",
                     action, len, truncated ? " (truncated)" : "", ANAME[sl->action],
                     sl->action == A_SCRAPE ? sl->nhash : 0);
    }
    if (sl->action == A_CONNECT && !ok) socks[s].conn_pending = 0;
    release(idx);
}

static int pick_action(int s, uint64_t now) {
    if (!socks[s].conn_pending && now - socks[s].conn_ns > RECONNECT_NS) return A_CONNECT;
    if (o_fill) return A_ANNOUNCE;
    int r = rnd() % (o_w[0] + o_w[1] + o_w[2]);
    return r < o_w[0] ? A_CONNECT : r < o_w[0] + o_w[1] ? A_ANNOUNCE : A_SCRAPE;
}

/* ---- setup ---- */
static socklen_t loopback_addr(struct sockaddr_storage *ss) {
    struct sockaddr_in *a4 = (void *)ss; struct sockaddr_in6 *a6 = (void *)ss;
    memset(ss, 0, sizeof *ss);
    if (inet_pton(AF_INET, o_host, &a4->sin_addr) == 1) {
        if ((ntohl(a4->sin_addr.s_addr) >> 24) != 127) return 0;
        a4->sin_family = AF_INET; a4->sin_port = htons(o_port);
        return sizeof *a4;
    }
    if (inet_pton(AF_INET6, o_host, &a6->sin6_addr) == 1) {
        if (!IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr)) return 0;
        a6->sin6_family = AF_INET6; a6->sin6_port = htons(o_port);
        peer_sz = 18;
        return sizeof *a6;
    }
    return 0;
}

static void open_socket(int s, struct sockaddr_storage *dst, socklen_t dlen) {
    int fam = dst->ss_family, fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK, 0), big = 4 << 20;
    if (fd < 0) { perror("socket"); exit(1); }
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big))
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big))
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    struct sockaddr_storage src; memset(&src, 0, sizeof src);   /* bind to loopback */
    src.ss_family = fam;
    if (fam == AF_INET) ((struct sockaddr_in *)&src)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    else ((struct sockaddr_in6 *)&src)->sin6_addr = in6addr_loopback;
    if (bind(fd, (void *)&src, dlen) || connect(fd, (void *)dst, dlen)) { perror("bind/connect"); exit(1); }
    socks[s].fd = fd;
}

static void do_connect(int s) {   /* blocking BEP 15 connect with retries */
    for (int attempt = 0; attempt < 5; attempt++) {
        uint8_t req[16], resp[PKT];
        uint32_t tid = (uint32_t)rnd();
        put64(req, 0x41727101980ULL); put32(req + 8, A_CONNECT); put32(req + 12, tid);
        if (send(socks[s].fd, req, 16, 0) != 16) { perror("send connect"); usleep(200000); continue; }
        struct pollfd pf = { socks[s].fd, POLLIN, 0 };
        uint64_t until = now_ns() + 500000000ULL;
        while (now_ns() < until && poll(&pf, 1, 50) >= 0) {
            ssize_t r = recv(socks[s].fd, resp, sizeof resp, 0);
            if (r >= 16 && get32(resp) == A_CONNECT && get32(resp + 4) == tid) {
                memcpy(socks[s].conn_id, resp + 8, 8); socks[s].conn_ns = now_ns();
                return;
            }
            if (r >= 8 && get32(resp) == A_ERROR && get32(resp + 4) == tid)
                fprintf(stderr, "connect error: %.*s\n", (int)r - 8, resp + 8);
        }
    }
    fprintf(stderr, "no connect response from %s port %d\n", o_host, o_port);
    exit(1);
}

static void usage(void) {
    fprintf(stderr,
        "usage: udpload -p PORT [options]   (target must be 127.0.0.0/8 or ::1)\n"
        "  -a ADDR     tracker address (default 127.0.0.1)\n"
        "  -d SEC      duration, 1..%d (default 10)\n"
        "  -t N        torrents (default 100000)      -n M  peers (default 200000)\n"
        "  -m A:S[:C]  announce:scrape[:connect] weights (default 100:1:0)\n"
        "  -k K        max info hashes per scrape, <= %d (default 10)\n"
        "  -D DIST     aquatic | zipf:S | pareto:SHAPE | uniform | even (default aquatic)\n"
        "  -c C        max requests in flight (default 128)   -s S sockets (default 4)\n"
        "  -T MS       timeout per request (default 1000)     -w W numwant (default 30)\n"
        "  -e P        probability a peer is a seeder (default 0.75)\n"
        "  -F          fill: announce every peer once, in order, then stop (same peers as a\n"
        "              normal run with the same -t -n -D -e -r, so that run only updates them)\n"
        "  -r SEED     rng seed (default 1)   -v  per-second progress on stderr\n"
        "  -R RATE     open loop at RATE requests/s (-c caps those unanswered)\n"
        "  -C N        every N-th announce: a new peer's started, then (once answered) its completed\n"
        "  -H FILE     write the N info hashes as hex (opentracker whitelist) and exit\n"
        "  -o OFFSET   shift every info hash and peer id index by OFFSET (another set of torrents\n"
        "              with the same shape: -o T after a run with -t T meets none of its torrents)\n",
        MAX_DURATION, MAX_SCRAPE);
    exit(2);
}

int main(int argc, char **argv) {
    int c;
    while ((c = getopt(argc, argv, "a:p:d:t:n:m:k:D:c:s:T:w:e:Fr:vH:hR:C:o:")) != -1) switch (c) {
        case 'a': o_host = optarg; break;
        case 'p': o_port = atoi(optarg); break;
        case 'd': o_dur = atoi(optarg); break;
        case 't': o_torrents = atol(optarg); break;
        case 'n': o_peers = atol(optarg); break;
        case 'm':
            o_w[0] = o_w[2] = 0;
            if (sscanf(optarg, "%d:%d:%d", &o_w[1], &o_w[2], &o_w[0]) < 1) usage();
            break;
        case 'k': o_scrape_max = atoi(optarg); break;
        case 'D': o_dist = optarg; break;
        case 'c': o_inflight = atoi(optarg); break;
        case 's': o_socks = atoi(optarg); break;
        case 'T': o_timeout_ms = atoi(optarg); break;
        case 'w': o_numwant = atoi(optarg); break;
        case 'e': o_seed_prob = atof(optarg); break;
        case 'F': o_fill = 1; break;
        case 'r': o_seed = strtoull(optarg, NULL, 0); break;
        case 'o': o_offset = strtoull(optarg, NULL, 0); break;
        case 'v': o_verbose = 1; break;
        case 'R': o_rate = atof(optarg); break;
        case 'C': o_completed_every = atol(optarg); break;
        case 'H': o_dump = optarg; break;
        default: usage();
    }
    if (o_torrents < 1 || o_torrents > 50000000 || o_peers < 1 || o_peers > 50000000) usage();
    if (o_dump) {
        FILE *f = fopen(o_dump, "w");
        if (!f) { perror(o_dump); return 1; }
        for (long t = 0; t < o_torrents; t++) {
            uint8_t h[20]; bytes20(NS_HASH, t, h);
            for (int j = 0; j < 20; j++) fprintf(f, "%02x", h[j]);
            fputc('\n', f);
        }
        return fclose(f) != 0;
    }
    if (o_port < 1 || o_port > 65535 || o_dur < 1 || o_dur > MAX_DURATION || o_socks < 1 ||
        o_socks > MAX_SOCKS || o_inflight < 1 || o_inflight > 65535 || o_scrape_max < 1 ||
        o_scrape_max > MAX_SCRAPE || o_w[0] < 0 || o_w[1] < 0 || o_w[2] < 0 ||
        o_w[0] + o_w[1] + o_w[2] == 0 || o_timeout_ms < 1) usage();

    struct sockaddr_storage dst;
    socklen_t dlen = loopback_addr(&dst);
    if (!dlen) { fprintf(stderr, "refusing %s: only 127.0.0.0/8 or ::1 allowed\n", o_host); return 2; }
    alarm(o_dur + 30);          /* hard stop, whatever happens */

    rng_state = o_seed;
    dist_init();
    peers_init();
    slots = calloc(o_inflight, sizeof *slots);
    freelist = malloc(o_inflight * sizeof *freelist);
    for (int i = o_inflight - 1; i >= 0; i--) freelist[nfree++] = i;
    for (int s = 0; s < o_socks; s++) { open_socket(s, &dst, dlen); do_connect(s); }

    static struct mmsghdr in[BATCH]; static struct iovec iniov[BATCH]; static uint8_t inbuf[BATCH][PKT];
    for (int j = 0; j < BATCH; j++) {
        iniov[j] = (struct iovec){ inbuf[j], PKT };
        in[j].msg_hdr = (struct msghdr){ .msg_iov = &iniov[j], .msg_iovlen = 1 };
    }
    struct pollfd pfd[MAX_SOCKS];
    for (int s = 0; s < o_socks; s++) pfd[s] = (struct pollfd){ socks[s].fd, POLLIN, 0 };

    uint64_t start = now_ns(), end = start + (uint64_t)o_dur * 1000000000ULL, now = start;
    uint64_t tmo = (uint64_t)o_timeout_ms * 1000000ULL, next_scan = start, next_tick = start + 1000000000ULL;
    uint64_t fill_next = 0, last_ok = 0;
    int rr = 0;
    while (now < end) {
        /* 1. refill the window */
        uint64_t budget = o_rate > 0 ? (uint64_t)((now - start) / 1e9 * o_rate) : UINT64_MAX;
        while (nfree > 0 && !(o_fill && fill_next >= (uint64_t)o_peers)
               && st.sent[0] + st.sent[1] + st.sent[2] < budget) {
            int s = rr++ % o_socks;
            build(s, freelist[--nfree], pick_action(s, now), &fill_next);
            if (socks[s].nout == BATCH) flush(s);
        }
        for (int s = 0; s < o_socks; s++) if (socks[s].nout) flush(s);
        /* 2. drain responses */
        int got = 0;
        for (int s = 0; s < o_socks; s++) {
            int r;
            while ((r = recvmmsg(socks[s].fd, in, BATCH, MSG_DONTWAIT, NULL)) > 0) {
                now = now_ns();
                for (int j = 0; j < r; j++)
                    handle(s, inbuf[j], in[j].msg_len, in[j].msg_hdr.msg_flags & MSG_TRUNC, now);
                got += r;
                if (r < BATCH) break;
            }
        }
        now = now_ns();
        if (!got) poll(pfd, o_socks, 1);
        if (o_fill && fill_next >= (uint64_t)o_peers && nfree == o_inflight) break;
        /* 3. expire old requests */
        if (now >= next_scan) {
            for (int i = 0; i < o_inflight; i++)
                if (slots[i].busy && now - slots[i].sent_ns > tmo) {
                    st.timeouts++;
                    if (slots[i].action == A_CONNECT) socks[slots[i].sock].conn_pending = 0;
                    release(i);
                }
            next_scan = now + 10000000ULL;
        }
        if (o_verbose && now >= next_tick) {
            uint64_t ok = st.ok[0] + st.ok[1] + st.ok[2];
            fprintf(stderr, "t=%.0fs ok/s=%llu errors=%llu timeouts=%llu\n", (now - start) / 1e9,
                    (unsigned long long)(ok - last_ok), (unsigned long long)st.err,
                    (unsigned long long)st.timeouts);
            last_ok = ok; next_tick += 1000000000ULL;
        }
    }
    double secs = (now - start) / 1e9;
    uint64_t inflight = o_inflight - nfree, sent = st.sent[0] + st.sent[1] + st.sent[2];
    uint64_t ok = st.ok[0] + st.ok[1] + st.ok[2];

    printf("udpload %s port %d: %.2f s, %d sockets, %d in flight max, %ld torrents (%s), %ld peers%s\n",
           o_host, o_port, secs, o_socks, o_inflight, o_torrents, o_dist, o_peers, o_fill ? ", fill" : "");
    printf("requests sent     %llu (", (unsigned long long)sent);
    for (int a = 0; a < 3; a++) printf("%s %s %llu", a ? "," : "", ANAME[a], (unsigned long long)st.sent[a]);
    printf(")\nvalid responses   %llu (", (unsigned long long)ok);
    for (int a = 0; a < 3; a++) printf("%s %s %llu", a ? "," : "", ANAME[a], (unsigned long long)st.ok[a]);
    printf(")\nresponses/s       %.0f   (requests/s %.0f)\n", ok / secs, sent / secs);
    printf("error responses   %llu%s%s%s\n", (unsigned long long)st.err,
           first_err[0] ? " (first: \"" : "", first_err, first_err[0] ? "\")" : "");
    printf("invalid %llu, unmatched/late %llu, timeouts %llu, send failures %llu, in flight at end %llu\n",
           (unsigned long long)st.invalid, (unsigned long long)st.unmatched,
           (unsigned long long)st.timeouts, (unsigned long long)st.send_fail, (unsigned long long)inflight);
    if (first_invalid[0]) printf("first invalid response: %s\n", first_invalid);
    printf("peers per announce response %.2f\n", st.ok[1] ? (double)st.peers / st.ok[1] : 0.0);
    printf("latency us: p50 %.0f  p90 %.0f  p99 %.0f  p99.9 %.0f  max %.0f\n",
           percentile(0.5), percentile(0.9), percentile(0.99), percentile(0.999), percentile(1.0));
    printf("RESULT rps=%.0f sent=%llu ok=%llu err=%llu invalid=%llu timeouts=%llu p50_us=%.0f p99_us=%.0f"
           " completed_sent=%llu completed_ok=%llu send_fail=%llu\n",
           ok / secs, (unsigned long long)sent, (unsigned long long)ok, (unsigned long long)st.err,
           (unsigned long long)st.invalid, (unsigned long long)st.timeouts, percentile(0.5), percentile(0.99),
           (unsigned long long)st.done_sent, (unsigned long long)st.done_ok, (unsigned long long)st.send_fail);
    return 0;
}
