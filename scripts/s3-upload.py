#!/usr/bin/env python3
"""s3-upload.py — put local files into an S3-compatible store with SigV4 (Python stdlib only),
for the demo and the tests: the project's own tools only read from S3.

  s3-upload.py --bucket B --prefix P FILE...   create B if needed, upload each FILE as P<name>
  s3-upload.py --check                         exit 0 when a signed ListBuckets succeeds

Credentials and endpoint from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL and
AWS_REGION (default us-east-1); path-style addressing. Meant for local servers: the endpoint
must be http(s)://127.0.0.1 or localhost.
"""
import argparse
import datetime
import hashlib
import hmac
import http.client
import os
import sys
import urllib.parse


def sign(method, path, body, host, region, access, secret):
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    payload = hashlib.sha256(body).hexdigest()
    headers = {"host": host, "x-amz-content-sha256": payload, "x-amz-date": amz_date}
    signed = ";".join(sorted(headers))
    canonical = "\n".join([method, path, "", "".join(f"{k}:{headers[k]}\n" for k in sorted(headers)), signed, payload])
    scope = f"{day}/{region}/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + secret).encode()
    for part in (day, region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = f"AWS4-HMAC-SHA256 Credential={access}/{scope}, SignedHeaders={signed}, Signature={signature}"
    return headers


class Store:
    def __init__(self):
        endpoint = os.environ.get("AWS_ENDPOINT_URL", "")
        url = urllib.parse.urlsplit(endpoint)
        if url.hostname not in ("127.0.0.1", "localhost", "::1"):
            sys.exit(f"s3-upload: AWS_ENDPOINT_URL must be a loopback endpoint (got {endpoint!r})")
        self.host = url.netloc
        self.connection = (http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection)(url.netloc, timeout=60)
        self.region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        self.access = os.environ.get("AWS_ACCESS_KEY_ID", "")
        self.secret = os.environ.get("AWS_SECRET_ACCESS_KEY", "")

    def request(self, method, path, body=b""):
        headers = sign(method, path, body, self.host, self.region, self.access, self.secret)
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        return response.status, response.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bucket")
    parser.add_argument("--prefix", default="")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    store = Store()
    if args.check:
        status, _ = store.request("GET", "/")
        return 0 if status == 200 else 1
    if not args.bucket:
        parser.error("--bucket is required")
    status, body = store.request("PUT", "/" + urllib.parse.quote(args.bucket))
    if status not in (200, 409):
        sys.exit(f"s3-upload: cannot create bucket {args.bucket}: HTTP {status} {body[:200]!r}")
    total = 0
    for name in args.files:
        with open(name, "rb") as f:
            data = f.read()
        key = args.prefix + os.path.basename(name)
        path = "/" + urllib.parse.quote(args.bucket) + "/" + urllib.parse.quote(key, safe="/-_.~")
        status, body = store.request("PUT", path, data)
        if status != 200:
            sys.exit(f"s3-upload: PUT s3://{args.bucket}/{key}: HTTP {status} {body[:200]!r}")
        total += len(data)
    print(f"s3-upload: {len(args.files)} files, {total / 1e6:.1f} MB to s3://{args.bucket}/{args.prefix}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
