#!/usr/bin/env python3
"""Sends N requests one after the other over one keep-alive connection, for
the instruction counts of bench/backlog.sh (the server runs under callgrind,
so the client's speed does not matter).

  requests.py PORT TOKEN N GET /api/incidents/{id} [MAX_ID]
  requests.py PORT TOKEN N POST /api/incidents

{id} becomes a random id from 1 to MAX_ID. A POST sends a new call each
time (as bench/post_incident.lua). Fails unless every answer is 2xx."""
import http.client
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
    for k in range(int(n)):
        body = None
        if method == "POST":
            headers["Content-Type"] = "application/json"
            body = ('{"channel":"phone","category":"help","narrative":"压测 指令计数，第%s-%d次"}'
                    % (run, k)).encode()
        conn.request(method, path.replace("{id}", str(rng.randint(1, max_id))), body, headers)
        resp = conn.getresponse()
        data = resp.read()
        if resp.status // 100 != 2:
            sys.exit("requests.py: %s %s answered %d: %s" % (method, path, resp.status, data[:300]))


if __name__ == "__main__":
    main()
