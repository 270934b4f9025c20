#!/bin/bash
# deploy/image/build.sh — the tracker's container image, built by the .NET SDK without Docker and
# without any container registry on the network; written as an OCI archive (no daemon needed).
#
#   deploy/image/build.sh                      # -> deploy/image/out/orleans-tracker.tar (OCI layout)
#   OUT=/tmp/img TAG=1.2.3 deploy/image/build.sh
#   podman load -i deploy/image/out/orleans-tracker.tar    # or docker load, on a machine with an engine
#
# The SDK takes its base image only from a registry. Microsoft's (mcr.microsoft.com/dotnet/runtime-deps)
# cannot be fetched where only the NuGet and Debian mirrors are reachable, so this script makes the
# base from files already installed on this Debian 12 machine (the shared libraries a self-contained
# .NET program loads, and bash for the health check), serves it on 127.0.0.1 for the length of the
# build (deploy/image/serve-base.py), and has `dotnet publish -t:PublishContainer` put the tracker on
# top. With registry access, BASE=mcr.microsoft.com/dotnet/runtime-deps:10.0 uses Microsoft's base
# instead (then mount a writable volume on /var/lib/orleans-tracker; that base has no bash for the
# health check below).
#
# The image: /app/orleans-tracker (self-contained, single file) run as UID 1654, not root, in /app
# (owned by that user: the default config.toml and SQLite file are written there); config from
# ORLEANSTRACKER__* variables or a config.toml mounted at /app/config.toml (or ORLEANSTRACKER_CONFIG);
# /var/lib/orleans-tracker (owned by UID 1654) as the mount point for a data volume (SQLite);
# health check /usr/local/bin/orleans-tracker-health (GET /health_check of the health-check API on
# 127.0.0.1:1313), wired in deploy/compose.yaml: the SDK drops a base image's Healthcheck field and has
# no property for one.
#
# env: OUT [deploy/image/out] TAG [latest] BASE [the local one] ARTIFACTS [dotnet's default]
#      TIMEOUT [600 s for the publish]. Bounded; stops what it started.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$REPO/deploy/image/out}; TAG=${TAG:-latest}; TIMEOUT=${TIMEOUT:-600}
APP_UID=1654   # the "app" user of Microsoft's .NET images, so volumes work with either base
WORK=$(mktemp -d); SERVER=
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
die() { echo "build.sh: $*" >&2; exit 1; }
mkdir -p "$OUT"

if [ -z "${BASE:-}" ]; then
  command -v dpkg >/dev/null || die "making the local base needs a Debian machine (dpkg); or set BASE"
  root=$WORK/rootfs; mkdir -p "$root"
  # Every file of the packages a self-contained .NET 10 program needs (glibc, libgcc, libstdc++,
  # zlib, OpenSSL for TLS) and bash (with its terminfo library) for the health check.
  # Debian 12 is merged-/usr (/lib is a link to usr/lib): each path is taken at its real place, and
  # the image gets the same links.
  for package in libc6 libgcc-s1 libstdc++6 zlib1g libssl3 bash libtinfo6; do
    dpkg -s "$package" >/dev/null 2>&1 || die "package $package is not installed"
    dpkg -L "$package" | while read -r path; do
      if [ -f "$path" ] || [ -L "$path" ]; then
        real=$(readlink -f "$(dirname "$path")")/$(basename "$path"); echo "${real#/}"
      fi
    done
  done | sort -u > "$WORK/files"
  tar -C / --no-recursion -cf - -T "$WORK/files" 2>/dev/null | tar -C "$root" -xf -
  for link in bin lib lib64 sbin; do [ -e "$root/usr/$link" ] && ln -s "usr/$link" "$root/$link"; done
  mkdir -p "$root/etc" "$root/tmp" "$root/var/lib/orleans-tracker" "$root/usr/local/bin"
  chmod 1777 "$root/tmp"
  printf 'root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:%s:%s:app:/var/lib/orleans-tracker:/usr/sbin/nologin\n' $APP_UID $APP_UID > "$root/etc/passwd"
  printf 'root:x:0:\napp:x:%s:\n' $APP_UID > "$root/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
  chown $APP_UID:$APP_UID "$root/var/lib/orleans-tracker"
  install -m 0755 "$REPO/deploy/image/orleans-tracker-health" "$root/usr/local/bin/orleans-tracker-health"

  layout=$WORK/layout; mkdir -p "$layout/blobs/sha256"
  tar --numeric-owner --sort=name --mtime=@0 -C "$root" -cf "$WORK/layer.tar" .
  diff_id=$(sha256sum "$WORK/layer.tar" | cut -d' ' -f1)
  gzip -n -6 < "$WORK/layer.tar" > "$WORK/layer.tar.gz"
  layer=$(sha256sum "$WORK/layer.tar.gz" | cut -d' ' -f1); mv "$WORK/layer.tar.gz" "$layout/blobs/sha256/$layer"
  # HOME: the single-file host unpacks the native SQLite library under $HOME/.net.
  cat > "$WORK/config.json" <<EOF
{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "config":{"User":"$APP_UID","Env":["PATH=/usr/local/bin:/usr/bin:/bin","HOME=/var/lib/orleans-tracker"]}}
EOF
  config=$(sha256sum "$WORK/config.json" | cut -d' ' -f1); cp "$WORK/config.json" "$layout/blobs/sha256/$config"
  cat > "$layout/manifest.json" <<EOF
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:$config","size":$(stat -c %s "$WORK/config.json")},
 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:$layer","size":$(stat -c %s "$layout/blobs/sha256/$layer")}]}
EOF
  python3 "$REPO/deploy/image/serve-base.py" "$layout" orleans-tracker-base bookworm $((TIMEOUT + 60)) > "$WORK/port" &
  SERVER=$!
  for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
  port=$(cat "$WORK/port"); [ -n "$port" ] || die "the local base registry did not start"
  BASE=127.0.0.1:$port/orleans-tracker-base:bookworm
  export DOTNET_CONTAINER_INSECURE_REGISTRIES=127.0.0.1:$port
fi

artifacts=(); [ -n "${ARTIFACTS:-}" ] && artifacts=(--artifacts-path "$ARTIFACTS")
archive=$OUT/orleans-tracker.tar
rm -f "$archive"
timeout "$TIMEOUT" dotnet publish "$REPO/Silo/Silo.csproj" -c Release -r linux-x64 -t:PublishContainer -nologo \
  "${artifacts[@]}" -p:ContainerBaseImage="$BASE" -p:ContainerImageTag="$TAG" -p:ContainerArchiveOutputPath="$archive"
[ -s "$archive" ] || die "no image archive at $archive"
echo "image: $archive ($(du -h "$archive" | cut -f1))"
