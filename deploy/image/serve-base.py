#!/usr/bin/env python3
"""A read-only OCI registry for one image, for deploy/image/build.sh: the .NET SDK pulls its base
image only from a registry (no daemon or archive source in SDK 10.0.1xx-4xx), so the base made from
this machine's Debian files is served on 127.0.0.1 for the length of one build.

usage: serve-base.py LAYOUT_DIR NAME TAG SECONDS
LAYOUT_DIR holds manifest.json and blobs/sha256/<hex>. Prints the port it listens on, then serves
GET/HEAD /v2/, /v2/NAME/manifests/(TAG|DIGEST) and /v2/NAME/blobs/DIGEST until SECONDS have passed.
"""
import hashlib, http.server, json, os, sys, threading

layout, name, tag, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
with open(os.path.join(layout, "manifest.json"), "rb") as f:
    manifest = f.read()
manifest_digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
media_type = json.loads(manifest)["mediaType"]


class Registry(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def answer(self, body):
        path = self.path.split("?")[0]
        data, kind, digest = None, "application/json", None
        if path in ("/v2/", "/v2"):
            data = b"{}"
        elif path in (f"/v2/{name}/manifests/{tag}", f"/v2/{name}/manifests/{manifest_digest}"):
            data, kind, digest = manifest, media_type, manifest_digest
        elif path.startswith(f"/v2/{name}/blobs/sha256:"):
            hexdigest = path.rsplit(":", 1)[1]
            blob = os.path.join(layout, "blobs", "sha256", hexdigest)
            if hexdigest.isalnum() and os.path.isfile(blob):
                with open(blob, "rb") as f:
                    data = f.read()
                kind, digest = "application/octet-stream", "sha256:" + hexdigest
        if data is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Docker-Distribution-API-Version", "registry/2.0")
        if digest:
            self.send_header("Docker-Content-Digest", digest)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Registry)
print(server.server_address[1], flush=True)
threading.Timer(seconds, server.shutdown).start()
server.serve_forever()
