#!/usr/bin/env python3
"""A webhook receiver for tests/system/test_outbox_kill.sh, on 127.0.0.1.

Checks each request's X-Fengqiao-Signature (HMAC-SHA256 of "<timestamp>.<body>"
under the shared secret), appends one JSON line per request to --log (flushed
before it answers: event id, whether the signature held, the body's event
id), marks the request in flight in --inflight while it waits --delay
seconds, then answers 200, or 500 the first time it sees an event id whose
hash says so (--fail-every N: about one event in N fails once). Once the
file --arm exists, the next request is held (its event id in "<arm>.held") until the file
--release exists, so that the test can kill the server while it waits.

Usage: outbox_receiver.py --port-file F --log F --inflight F --secret S
       [--delay SECONDS] [--fail-every N] [--arm F --release F]
"""
import argparse
import hashlib
import hmac
import json
import os
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

ap = argparse.ArgumentParser()
ap.add_argument("--port-file", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--inflight", required=True)
ap.add_argument("--secret", required=True)
ap.add_argument("--delay", type=float, default=0.2)
ap.add_argument("--fail-every", type=int, default=0)
ap.add_argument("--arm", default="")
ap.add_argument("--release", default="")
args = ap.parse_args()
failed_once = set()
held = [False]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        ts = self.headers.get("X-Fengqiao-Timestamp", "")
        sig = self.headers.get("X-Fengqiao-Signature", "")
        eid = self.headers.get("X-Fengqiao-Event-Id", "")
        want = "sha256=" + hmac.new(args.secret.encode(), ts.encode() + b"." + body,
                                    hashlib.sha256).hexdigest()
        try:
            doc = json.loads(body)
        except ValueError:
            doc = {}
        fail = (args.fail_every and eid not in failed_once and
                int(hashlib.sha256(eid.encode()).hexdigest(), 16) % args.fail_every == 0)
        hold = bool(args.arm and not held[0] and os.path.exists(args.arm))
        rec = {"event_id": eid, "held": hold, "body_event_id": doc.get("event_id"),
               "signature_ok": hmac.compare_digest(want, sig),
               "fresh": abs(time.time() - int(ts or 0)) < 300, "answer": 500 if fail else 200}
        with open(args.log, "a", encoding="utf-8") as f:
            f.write(json.dumps(rec) + "\n")
            f.flush()
            os.fsync(f.fileno())
        with open(args.inflight, "w", encoding="utf-8") as f:
            f.write(eid)
        if hold:
            held[0] = True
            with open(args.arm + ".held", "w", encoding="utf-8") as f:
                f.write(eid)
            for _ in range(300):
                if os.path.exists(args.release):
                    break
                time.sleep(0.1)
        time.sleep(args.delay)
        if fail:
            failed_once.add(eid)
        out = b'{"ok":true}'
        try:
            self.send_response(500 if fail else 200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server was killed while it waited: that is the test
        try:
            os.unlink(args.inflight)
        except FileNotFoundError:
            pass


srv = HTTPServer(("127.0.0.1", 0), Handler)
with open(args.port_file + ".tmp", "w", encoding="utf-8") as f:
    f.write(str(srv.server_address[1]))
os.rename(args.port_file + ".tmp", args.port_file)
srv.serve_forever()
