#!/usr/bin/env python3
"""Sends N requests one after the other over one keep-alive connection, for
the instruction counts of bench/backlog.sh (the server runs under callgrind,
so the client's speed does not matter).

  requests.py PORT TOKEN N GET /api/incidents/{id} [MAX_ID]
  requests.py PORT TOKEN N POST /api/incidents
  requests.py PORT TOKEN N POST /api/addresses

{id} becomes a random id from 1 to MAX_ID. A POST sends a new call each
time (as bench/post_incident.lua), or a new address at a point of the
district of bench/grids_fill.sql. Fails unless every answer is 2xx. With
BENCH_TIMES=1 in the environment, prints the median and the 95th percentile
of the requests' times in ms ("12.3 45.6")."""
import http.client
import os
import random
import sys
import time


def main():
    port, token, n, method, path = sys.argv[1:6]
    max_id = int(sys.argv[6]) if len(sys.argv) > 6 else 1
    rng = random.Random(7919)
    conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=600)
    headers = {"Authorization": "Bearer " + token}
    run = str(time.time_ns())
    times = []
    for k in range(int(n)):
        body = None
        if method == "POST" and path == "/api/addresses":
            headers["Content-Type"] = "application/json"
            body = ('{"division_code":"500112","street":"压测新街","door_no":"%s-%d号",'
                    '"lat":%.6f,"lng":%.6f}' % (run[-8:], k, 29.8 + rng.random() * 0.1,
                                               106.7 + rng.random() * 0.2)).encode()
        elif method == "POST":
            headers["Content-Type"] = "application/json"
            body = ('{"channel":"phone","category":"help","narrative":"压测 指令计数，第%s-%d次"}'
                    % (run, k)).encode()
        t0 = time.perf_counter()
        conn.request(method, path.replace("{id}", str(rng.randint(1, max_id))), body, headers)
        resp = conn.getresponse()
        data = resp.read()
        times.append((time.perf_counter() - t0) * 1000)
        if resp.status // 100 != 2:
            sys.exit("requests.py: %s %s answered %d: %s" % (method, path, resp.status, data[:300]))
    if os.environ.get("BENCH_TIMES") == "1":
        times.sort()
        print("%.1f %.1f" % (times[len(times) // 2], times[min(len(times) - 1, len(times) * 95 // 100)]))


if __name__ == "__main__":
    main()
