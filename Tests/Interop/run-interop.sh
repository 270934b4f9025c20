#!/bin/bash
# run-interop.sh UDP_PORT HTTP_PORT [HTTPS_PORT]
#
# Runs Tests/Interop/libtorrent_announce.py (a real client: libtorrent, seeder + leecher)
# against a tracker that is ALREADY RUNNING on loopback:
#   IPv4: udp://127.0.0.1:UDP_PORT/announce, http://127.0.0.1:HTTP_PORT/announce
#         [, https://127.0.0.1:HTTPS_PORT/announce]
#   IPv6: the same on [::1]
# one python run per address family, so a failure names its family. Exit 0 only if all pass.
#
# env: PYTHON        interpreter with libtorrent (default /usr/bin/python3.11, Debian's)
#      FAMILIES      "4 6" (default), "4" or "6"
#      TIMEOUT       seconds per run (default 30)
#      EXPECT_PEERS  minimum peers in the leecher's reply (default 1)
#      SEED          fixed torrent content seed (e.g. for a whitelisting tracker; the hash is
#                    printed by: $PYTHON libtorrent_announce.py --seed N --print-hash-only)
#      EXTRA         more arguments for the python script (e.g. "--no-download -v")
set -u
[ $# -ge 2 ] || { sed -n '2,18p' "$0"; exit 2; }
UDP=$1 HTTP=$2 HTTPS=${3:-}
for p in "$UDP" "$HTTP" ${HTTPS:+"$HTTPS"}; do
  [[ "$p" =~ ^[0-9]+$ ]] && [ "$p" -ge 1 ] && [ "$p" -le 65535 ] || { echo "bad port: $p" >&2; exit 2; }
done
HERE=$(cd "$(dirname "$0")" && pwd)
PYTHON=${PYTHON:-/usr/bin/python3.11}
FAMILIES=${FAMILIES:-4 6}
"$PYTHON" -c 'import libtorrent' 2>/dev/null || {
  echo "run-interop.sh: $PYTHON cannot import libtorrent (apt-get install python3-libtorrent)" >&2; exit 2; }

fail=0
for fam in $FAMILIES; do
  case $fam in
    4) host=127.0.0.1 ;;
    6) host='[::1]' ;;
    *) echo "bad family $fam" >&2; exit 2 ;;
  esac
  args=(--tracker "udp://$host:$UDP/announce" --tracker "http://$host:$HTTP/announce")
  [ -n "$HTTPS" ] && args+=(--tracker "https://$host:$HTTPS/announce")
  args+=(--timeout "${TIMEOUT:-30}" --expect-peers "${EXPECT_PEERS:-1}")
  [ -n "${SEED:-}" ] && args+=(--seed "$SEED")
  # bounded twice: the script's own deadline + alarm, and timeout(1) as a last resort
  out=$(timeout -k 5 $(( ${TIMEOUT:-30} + 30 )) "$PYTHON" "$HERE/libtorrent_announce.py" "${args[@]}" ${EXTRA:-})
  rc=$?
  echo "$out" | grep '^INTEROP ' | sed "s/^INTEROP /INTEROP ipv$fam /"
  if [ $rc -eq 0 ]; then echo "PASS ipv$fam"; else echo "FAIL ipv$fam (exit $rc)"; fail=1; fi
done
exit $fail
