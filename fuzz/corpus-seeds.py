#!/usr/bin/env python3
"""Writes the seed corpora (fuzz/corpus/<target>/) from the BEP golden vectors used in
Tests/Protocol: transaction id "tid!", connection id "cid!cid!", info hash "hhhh...", peer
105.105.105.105:0x7070 ("iiiipp"). Re-run after changing it; the outputs are committed."""
import os, struct

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
def put(target, name, data):
    os.makedirs(os.path.join(root, target), exist_ok=True)
    with open(os.path.join(root, target, name), "wb") as f:
        f.write(data)

# UDP (BEP 15, BEP 41)
put("udp", "connect", struct.pack(">qii", 0x41727101980, 0, 0x74696421))
announce = (b"cid!cid!" + struct.pack(">i", 1) + b"tid!" + b"h" * 20 + b"-qB4650-pppppppppppp"
            + struct.pack(">qqqi", 4096, 65536, 32, 2) + b"iiii" + b"key!" + struct.pack(">i", -1) + b"pp")
put("udp", "announce", announce)
# BEP 41's example: "/announce?abcd=1234" split over two URL data options, a NOP, end of options.
put("udp", "announce-urldata", announce + b"\x02\x0c/announce?ab\x02\x07cd=1234\x01\x00")
put("udp", "announce-key", announce + b"\x02\x11/announce/secret/\x00")
# BEP 21: libtorrent's partial seed (finished, some files unticked) announces with event 4, "paused".
put("udp", "announce-paused", announce[:80] + struct.pack(">i", 4) + announce[84:])
put("udp", "scrape-1", b"cid!cid!" + struct.pack(">i", 2) + b"tid!" + b"h" * 20)
put("udp", "scrape-2", b"cid!cid!" + struct.pack(">i", 2) + b"tid!" + b"h" * 20 + b"g" * 20)

# HTTP raw query strings (BEP 3, 7, 23, 48)
h = "%68" * 20
put("http", "announce", ("info_hash=" + h + "&peer_id=-qB4650-pppppppppppp&port=28784&uploaded=32"
                         "&downloaded=4096&left=65536&event=started&compact=1&numwant=50&key=k").encode())
put("http", "announce-bep7", ("info_hash=hhhhhhhhhhhhhhhhhhhh&peer_id=%2DqB4650%2Dpppppppppppp&port=1&compact=0"
                              "&no_peer_id=1&ipv4=105.105.105.105:28784&ipv6=%5B2001%3Adb8%3A%3A1%5D%3A28784").encode())
put("http", "announce-paused", ("info_hash=" + h + "&peer_id=-lt20800-pppppppppppp&port=28784&uploaded=0"
                                "&downloaded=32768&left=32768&event=paused&compact=1&numwant=200").encode())
put("http", "scrape", ("info_hash=" + h + "&info_hash=+++++++++++++++++++%2B").encode())

# Bencode writer inputs: first byte picks the writer (0 compact, 1 non-compact, 2 scrape, 3 failure).
head = struct.pack(">iiiiq", 1800, 900, 3, 5, 4096)
put("bencode", "compact", b"\x00" + head + b"\x02" + b"iiiipp" * 2 + b"\x01" + b"\x20\x01" + b"\x00" * 14 + b"pp")
put("bencode", "noncompact", b"\x01" + head + b"\x01\x01" + b"iiiipp" + b"\x20\x01" + b"\x00" * 14 + b"pp" + b"\x01" + b"p" * 40)
put("bencode", "scrape", b"\x02\x03" + b"\xff" + b"h" * 20 + b"\xff" + b"g" * 20 + b"\x00")
put("bencode", "failure", b"\x03" + "unknown torrent – private".encode("utf-16-le"))
