#!/usr/bin/env python3
"""A ListObjectsV2 endpoint that makes its listing up: COUNT keys under PREFIX, generated page
by page, so s3ls's real client path (HTTP, SigV4 headers, XML, continuation tokens) can be
measured against ten million keys without storing ten million objects. Listens on 127.0.0.1
only; prints its port on the first line of stdout, then serves until stdin closes.

Key i is PREFIX + "img_%08d.jpg"; every AMBIGUOUS-th i also has a ".png" object (two objects
for one stem). Sizes, ETags and dates follow from i. Other requests get 404.

usage: fake_listing.py COUNT [--prefix P] [--ambiguous N] [--port N]
"""
import argparse
import http.server
import socketserver
import sys
import threading
from urllib.parse import parse_qs, urlsplit

PAGE = 1000


def etag(i, ext):
    # Any 32 hex digits do (an MD5's length); an MD5 per key would make the server the bottleneck.
    return f"{(i * 2654435761 + len(ext)) & 0xffffffff:08x}" * 4


def page(prefix, count, ambiguous, start, encode):
    end = min(count, start + PAGE)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult>',
             f"<Prefix>{prefix}</Prefix>", f"<KeyCount>{end - start}</KeyCount>",
             "<MaxKeys>1000</MaxKeys>"]
    if encode:
        parts.append("<EncodingType>url</EncodingType>")
    parts.append(f"<IsTruncated>{'true' if end < count else 'false'}</IsTruncated>")
    if end < count:
        parts.append(f"<NextContinuationToken>{end}</NextContinuationToken>")
    for i in range(start, end):
        exts = (".jpg", ".png") if ambiguous and i % ambiguous == 0 else (".jpg",)
        for ext in exts:
            parts.append(f"<Contents><Key>{prefix}img_{i:08d}{ext}</Key>"
                         f"<LastModified>2026-03-02T10:11:12.000Z</LastModified>"
                         f"<ETag>&quot;{etag(i, ext)}&quot;</ETag><Size>{50000 + i % 1000}</Size>"
                         f"<StorageClass>STANDARD</StorageClass></Contents>")
    parts.append("</ListBucketResult>")
    return "".join(parts).encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("--prefix", default="set/")
    parser.add_argument("--ambiguous", type=int, default=0)
    parser.add_argument("--port", type=int, default=0)
    options = parser.parse_args()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out as two writes: without this, Nagle's algorithm and the
        # client's delayed ACK hold every page back 40 ms.
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def do_GET(self):
            query = parse_qs(urlsplit(self.path).query)
            if query.get("list-type") != ["2"] or query.get("prefix", [""])[0] != options.prefix:
                body = b"<Error><Code>NoSuchKey</Code><Message>fake listing</Message></Error>"
                self.send_response(404)
            else:
                start = int(query.get("continuation-token", ["0"])[0])
                body = page(options.prefix, options.count, options.ambiguous, start,
                            query.get("encoding-type") == ["url"])
                self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", options.port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main()
