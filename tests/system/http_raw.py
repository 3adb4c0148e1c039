#!/usr/bin/env python3
"""Raw HTTP/1.1 exchanges with a server on 127.0.0.1, for the system tests of
request framing (RFC 9112) and of connection limits.

  http_raw.py framing PORT    the framing cases; one "ok …" or "FAIL …" line each
  http_raw.py hold PORT N     opens N connections that send nothing and reports,
                              as JSON lines, how many the server kept after 1 s,
                              then when it closed each of those
  http_raw.py flood PORT N S  opens N silent connections from 127.0.0.1, then for S
                              seconds asks GET /healthz every 0.5 s from 127.0.0.1
                              and from 127.0.0.2 (a new connection each); prints a
                              summary (docs/security.md, "Connections")
  http_raw.py keepalive PORT S  one request, S seconds idle, a second request on
                              the same connection: prints the two statuses
  http_raw.py head PORT PATH [HEADER…]  a HEAD request (Connection: close) with the
                              given header lines: prints how many bytes followed the
                              head of the answer (a body that should not be there)

No third-party modules: the tests run on a bare Debian with python3.
"""

import json
import re
import socket
import sys
import time

failed = 0


def report(ok, name, detail=""):
    global failed
    if not ok:
        failed += 1
    print(("ok   " if ok else "FAIL ") + name + (f" ({detail})" if detail else ""), flush=True)


def exchange(port, data, wait=3.0):
    """Sends data on a new connection and reads until the server closes it or
    nothing arrives for `wait` seconds. Returns (bytes, closed, seconds to the
    first byte or None)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    t0 = time.monotonic()
    first = None
    got = b""
    closed = False
    try:
        s.sendall(data)
        s.settimeout(wait)
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            if first is None:
                first = time.monotonic() - t0
            got += chunk
    finally:
        s.close()
    return got, closed, first


def statuses(got):
    """The status codes of the responses in a byte stream, in order."""
    return [m.decode() for m in re.findall(rb"HTTP/1\.[01] (\d{3}) ", got)]


def framing(port):
    H = b"Host: 127.0.0.1\r\n"

    # Sanity: ordinary requests keep the connection and are all answered.
    got, closed, _ = exchange(port, b"GET /healthz HTTP/1.1\r\n" + H + b"\r\n" +
                              b"GET /healthz HTTP/1.1\r\n" + H + b"\r\n", wait=1.5)
    st = statuses(got)
    report(st == ["200", "200"] and not closed,
           "two pipelined GETs: both answered, connection kept", f"{st}, closed={closed}")

    body = b'{"username":"x","password":"y"}'
    chunked = b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
    got, closed, _ = exchange(port, b"POST /api/none HTTP/1.1\r\n" + H +
                              b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                              chunked, wait=1.5)
    st = statuses(got)
    report(len(st) == 1 and st[0] not in ("400", "501"),
           "a chunked POST is read as usual", f"{st}")

    # Content-Length and Transfer-Encoding together: 400 and close; the bytes
    # after the chunked body are not answered as a second request.
    got, closed, _ = exchange(port, b"POST /api/none HTTP/1.1\r\n" + H +
                              b"Content-Type: application/json\r\nContent-Length: 5\r\n"
                              b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                              b"GET /healthz HTTP/1.1\r\n" + H + b"\r\n")
    st = statuses(got)
    report(st == ["400"] and closed,
           "Content-Length with Transfer-Encoding: one 400, then close", f"{st}, closed={closed}")

    # Two different Content-Lengths: 400 and close.
    got, closed, _ = exchange(port, b"POST /api/none HTTP/1.1\r\n" + H +
                              b"Content-Type: application/json\r\nContent-Length: 2\r\n"
                              b"Content-Length: 44\r\n\r\n{}"
                              b"GET /healthz HTTP/1.1\r\n" + H + b"\r\n")
    st = statuses(got)
    report(st == ["400"] and closed,
           "two different Content-Lengths: one 400, then close", f"{st}, closed={closed}")

    # The same Content-Length twice is one length (RFC 9110 8.6): answered.
    got, closed, _ = exchange(port, b"POST /api/none HTTP/1.1\r\n" + H +
                              b"Content-Type: application/json\r\nContent-Length: 2\r\n"
                              b"Content-Length: 2\r\n\r\n{}", wait=1.5)
    st = statuses(got)
    report(len(st) == 1 and st[0] not in ("400", "501"),
           "the same Content-Length twice is accepted", f"{st}")

    # An unknown transfer coding: 501 at once (not after the idle timeout), close.
    got, closed, first = exchange(port, b"POST /api/none HTTP/1.1\r\n" + H +
                                  b"Content-Type: application/json\r\n"
                                  b"Transfer-Encoding: gzip\r\n\r\nxxxx", wait=5)
    st = statuses(got)
    report(st == ["501"] and closed and first is not None and first < 2,
           "an unknown transfer coding: 501 at once, then close",
           f"{st}, closed={closed}, after {first if first is None else round(first, 2)} s")

    # A coding list that ends in chunked is still one the server cannot decode.
    got, closed, first = exchange(port, b"POST /api/none HTTP/1.1\r\n" + H +
                                  b"Content-Type: application/json\r\n"
                                  b"Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", wait=5)
    st = statuses(got)
    report(st == ["501"] and closed, "Transfer-Encoding: gzip, chunked: 501, then close",
           f"{st}, closed={closed}")

    # Smuggling: a front end that reads "Transfer-Encoding : chunked" (space
    # before the colon) as chunked sends all of this as one request; a server
    # that ignores the malformed field frames it by Content-Length and answers
    # the GET hidden in the chunk as a second request.
    smuggled = b"GET /healthz HTTP/1.1\r\n" + H + b"\r\n"
    got, closed, _ = exchange(port, b"POST /api/none HTTP/1.1\r\n" + H +
                              b"Content-Type: application/json\r\nContent-Length: 4\r\n"
                              b"Transfer-Encoding : chunked\r\n\r\n" +
                              b"%x\r\n" % len(smuggled) + smuggled + b"\r\n0\r\n\r\n")
    st = statuses(got)
    report(st == ["400"] and closed,
           "smuggling (Transfer-Encoding with a space before the colon): one 400, no second response",
           f"{st}, closed={closed}")

    # HTTP/1.0 with Transfer-Encoding: the framing is faulty (RFC 9112 6.1).
    got, closed, _ = exchange(port, b"POST /api/none HTTP/1.0\r\n" + H +
                              b"Content-Type: application/json\r\n"
                              b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    st = statuses(got)
    report(st == ["400"] and closed, "HTTP/1.0 with Transfer-Encoding: 400, then close",
           f"{st}, closed={closed}")

    # HTTP/1.1 without Host: 400 (libmicrohttpd's strict mode). 0.9.75 sends
    # the head of its own refusals twice (the second inside the body), on a
    # connection it then closes: only the first counts.
    got, closed, _ = exchange(port, b"GET /healthz HTTP/1.1\r\n\r\n")
    st = statuses(got)
    report(st[:1] == ["400"] and closed, "HTTP/1.1 without Host: 400, then close",
           f"{st}, closed={closed}")

    # "%00" in a query argument would cut its value short in C: refused,
    # naming the argument, before anything else (also before signing in).
    got, closed, _ = exchange(port, b"GET /api/incidents?status=open%00x HTTP/1.1\r\n" + H +
                              b"\r\n", wait=1.5)
    st = statuses(got)
    report(st == ["400"] and b'"field":"status"' in got,
           "a NUL (%00) in a query argument: 400 naming the argument", f"{st} {got[-200:]!r}")

    # Request heads: 12 KB of fields (long cookies, a proxy's headers) are
    # read; 40 KB are refused with 431 and the connection closed (each
    # connection's memory is bounded: src/http/server.c).
    pad = b"X-Pad: " + b"a" * 12000 + b"\r\n"
    got, closed, _ = exchange(port, b"GET /healthz HTTP/1.1\r\n" + H + pad + b"\r\n", wait=1.5)
    st = statuses(got)
    report(st == ["200"], "a request head of 12 KB is answered", f"{st}")
    pad = b"X-Pad: " + b"a" * 40000 + b"\r\n"
    got, closed, _ = exchange(port, b"GET /healthz HTTP/1.1\r\n" + H + pad + b"\r\n")
    st = statuses(got)
    report(st[:1] == ["431"] and closed, "a request head of 40 KB: 431, then close",
           f"{st}, closed={closed}")


def hold(port, n):
    """Opens n connections that send nothing; then reports how many the server
    closed at once (refused), and when the others were closed."""
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.settimeout(5)
        s.connect(("127.0.0.1", port))
        s.setblocking(False)
        socks.append(s)
    t0 = time.monotonic()
    open_at = {}
    closed_at = {}
    deadline = t0 + 60
    time.sleep(0.5)
    while time.monotonic() < deadline and len(closed_at) < n:
        for i, s in enumerate(socks):
            if i in closed_at:
                continue
            try:
                data = s.recv(1)
                if data == b"":
                    closed_at[i] = time.monotonic() - t0
            except BlockingIOError:
                pass
            except (ConnectionResetError, OSError):
                closed_at[i] = time.monotonic() - t0
        if 1.0 < time.monotonic() - t0 and not open_at:
            open_at = {i for i in range(n) if i not in closed_at}
            print(json.dumps({"open_after_1s": len(open_at)}), flush=True)
        time.sleep(0.1)
    for s in socks:
        s.close()
    kept = sorted(closed_at.get(i, -1) for i in open_at)
    print(json.dumps({"kept": len(open_at), "closed_after": [round(x, 1) for x in kept]}),
          flush=True)


def keepalive(port, secs):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    req = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    out = []
    for i in range(2):
        try:
            s.sendall(req)
            got = b""
            while b"\r\n\r\n" not in got:
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
            out.append((statuses(got) or ["closed"])[0])
        except OSError:
            out.append("closed")
        if i == 0:
            time.sleep(secs)
    s.close()
    print(" ".join(out), flush=True)


def probe(port, source):
    t0 = time.monotonic()
    try:
        s = socket.socket()
        s.settimeout(2)
        s.bind((source, 0))
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        got = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
        s.close()
        st = statuses(got)
        return (st[0] if st else "closed"), time.monotonic() - t0
    except OSError as e:
        return type(e).__name__, time.monotonic() - t0


def flood(port, n, secs):
    socks = []
    t0 = time.monotonic()
    refused = 0
    for _ in range(n):
        s = socket.socket()
        s.settimeout(2)
        try:
            s.connect(("127.0.0.1", port))
            s.setblocking(False)
            socks.append(s)
        except OSError:
            refused += 1
            s.close()
    opened = time.monotonic() - t0
    results = {"127.0.0.1": [], "127.0.0.2": []}
    alive_at = []
    end = time.monotonic() + secs
    while time.monotonic() < end:
        for src in results:
            results[src].append(probe(port, src))
        alive = 0
        for s in socks:
            try:
                if s.recv(1) == b"":
                    continue
            except BlockingIOError:
                alive += 1
                continue
            except OSError:
                continue
        alive_at.append((round(time.monotonic() - t0, 1), alive))
        time.sleep(0.5)
    for s in socks:
        s.close()
    print(f"{n} connections opened in {opened:.1f} s ({refused} refused by the kernel)")
    print("still open (s: count):", " ".join(f"{t}:{a}" for t, a in alive_at[::4]))
    for src, rs in results.items():
        ok = [t for st, t in rs if st == "200"]
        other = sorted({st for st, _ in rs if st != "200"})
        med = sorted(ok)[len(ok) // 2] * 1000 if ok else float("nan")
        print(f"GET /healthz from {src}: {len(ok)}/{len(rs)} answered 200, median {med:.1f} ms"
              + (f", failures: {', '.join(other)}" if other else ""))


def head(port, path, headers):
    req = f"HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    req += "".join(h + "\r\n" for h in headers) + "\r\n"
    got, _, _ = exchange(port, req.encode())
    print(len(got.split(b"\r\n\r\n", 1)[1]) if b"\r\n\r\n" in got else -1)


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "head":
        head(int(sys.argv[2]), sys.argv[3], sys.argv[4:])
        return
    if len(sys.argv) >= 5 and sys.argv[1] == "flood":
        flood(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
        return
    if len(sys.argv) >= 4 and sys.argv[1] == "keepalive":
        keepalive(int(sys.argv[2]), float(sys.argv[3]))
        return
    if len(sys.argv) >= 3 and sys.argv[1] == "framing":
        framing(int(sys.argv[2]))
        sys.exit(1 if failed else 0)
    if len(sys.argv) >= 4 and sys.argv[1] == "hold":
        hold(int(sys.argv[2]), int(sys.argv[3]))
        return
    print(__doc__, file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main()
